/** A hand-built registry with realistic schemas, shaped like the built-in definitions. */
import type { Definition, JsonSchema, Registry } from '../../src/capability/types.js';

const component = (name: string, schema: JsonSchema, workloadType?: string): Definition => ({
  name,
  kind: 'component',
  description: `${name} component`,
  appliesTo: [],
  ...(workloadType ? { workloadType } : {}),
  schema,
  origin: 'builtin',
  path: `definitions/${name}.cue`,
});

const trait = (name: string, appliesTo: string[], schema: JsonSchema): Definition => ({
  name,
  kind: 'trait',
  description: `${name} trait`,
  appliesTo,
  schema,
  origin: 'builtin',
  path: `definitions/${name}.cue`,
});

const env: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      value: { type: 'string' },
      valueFrom: { type: 'object', properties: { secretKeyRef: { type: 'object', properties: { name: { type: 'string' }, key: { type: 'string' } }, required: ['name', 'key'], additionalProperties: false } }, additionalProperties: false },
    },
    required: ['name'],
    additionalProperties: false,
  },
};

const webservice = component(
  'webservice',
  {
    type: 'object',
    properties: {
      image: { type: 'string', description: 'Which image would you like to use for your service' },
      port: { type: 'integer', default: 80 },
      ports: {
        type: 'array',
        items: {
          type: 'object',
          properties: { port: { type: 'integer' }, protocol: { enum: ['TCP', 'UDP', 'SCTP'], default: 'TCP' }, expose: { type: 'boolean', default: false } },
          required: ['port'],
          additionalProperties: false,
        },
      },
      cmd: { type: 'array', items: { type: 'string' } },
      env,
      imagePullPolicy: { enum: ['Always', 'Never', 'IfNotPresent'] },
      cpu: { type: 'string' },
      // CUE `*"1Gi" | string | int`-like disjunction
      memory: { anyOf: [{ type: 'string', pattern: '^[0-9]+(Mi|Gi)$' }, { type: 'integer', minimum: 1 }] },
      secret: { type: 'string', 'x-ignore': true },
    },
    required: ['image'],
    additionalProperties: false,
  },
  'deployments.apps',
);

const worker = component(
  'worker',
  {
    type: 'object',
    properties: { image: { type: 'string' }, cmd: { type: 'array', items: { type: 'string' } }, env },
    required: ['image'],
    additionalProperties: false,
  },
  'deployments.apps',
);

const task = component(
  'task',
  {
    type: 'object',
    properties: { image: { type: 'string' }, count: { type: 'integer', default: 1 }, restart: { enum: ['Never', 'OnFailure'] } },
    required: ['image'],
    additionalProperties: false,
  },
  'jobs.batch',
);

// Open schema (`parameter: {...}`): any key is a parameter.
const raw = component('raw', { type: 'object' });

const scaler = trait('scaler', ['deployments.apps', 'statefulsets.apps'], {
  type: 'object',
  properties: { replicas: { type: 'integer', default: 1, minimum: 0 } },
  additionalProperties: false,
});
const gateway = trait('gateway', ['webservice'], {
  type: 'object',
  properties: {
    domain: { type: 'string' },
    http: { type: 'object', additionalProperties: { type: 'integer' } },
    class: { type: 'string', default: 'nginx' },
  },
  required: ['domain', 'http'],
  additionalProperties: false,
});
const sidecar = trait('sidecar', ['webservice', 'worker'], {
  type: 'object',
  properties: { name: { type: 'string' }, image: { type: 'string' }, cmd: { type: 'array', items: { type: 'string' } } },
  required: ['name', 'image'],
  additionalProperties: false,
});
const labels = trait('labels', ['*'], { type: 'object', additionalProperties: { type: 'string' } });
// Both a trait and a webservice parameter: `env` as a key is the parameter, under `traits:` the trait.
const envTrait = trait('env', [], {
  type: 'object',
  properties: { env: { type: 'object', additionalProperties: { type: 'string' } } },
  additionalProperties: false,
});

export function makeRegistry(defs: Definition[] = [webservice, worker, task, raw, scaler, gateway, sidecar, labels, envTrait]): Registry {
  const comps = defs.filter((d) => d.kind === 'component');
  const traits = defs.filter((d) => d.kind === 'trait');
  return {
    component: (n) => comps.find((d) => d.name === n),
    trait: (n) => traits.find((d) => d.name === n),
    components: () => comps,
    traits: () => traits,
    policy: () => undefined,
    policies: () => [],
    workflowStep: () => undefined,
    workflowSteps: () => [],
  };
}

export const defs = { webservice, worker, task, raw, scaler, gateway, sidecar, labels, envTrait };
