/**
 * The example apps render, with real CUE, into valid Kubernetes objects: each
 * service's keys are split into component parameters and trait sections as
 * APPFILE.md section 1 says, every template evaluates without errs, every trait
 * applies to its component, and every object (workloads with the trait patches
 * merged in) passes the Kubernetes schema.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { evaluateWithCue } from './cue-oracle.js';
import { applyPatch, definitionHeader, definitionPath, definitionText, makeContext, type Json, type JsonObject } from './harness.js';
import { validateObject } from './k8s-validate.js';

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');
const RESERVED = new Set(['type', 'build', 'dependsOn', 'traits']);

interface Rendered {
  readonly objects: JsonObject[];
  readonly errors: string[];
}

// Each example is rendered once (real CUE is slow) and shared by the tests below.
const renders = new Map<string, Promise<Rendered>>();
function renderExample(dir: string): Promise<Rendered> {
  let r = renders.get(dir);
  if (!r) renders.set(dir, (r = render(dir)));
  return r;
}

async function render(dir: string): Promise<Rendered> {
  const app = parse(readFileSync(join(dir, 'vela.yaml'), 'utf8')) as { name: string; services: Record<string, JsonObject> };
  const objects: JsonObject[] = [];
  const errors: string[] = [];
  for (const [service, spec] of Object.entries(app.services)) {
    const type = typeof spec['type'] === 'string' ? spec['type'] : 'webservice';
    const header = definitionHeader(type);
    const parameter: JsonObject = {};
    // The talk's form: `build.image` is the service's image.
    const buildImage = (spec['build'] as JsonObject | undefined)?.['image'];
    if (typeof buildImage === 'string') parameter['image'] = buildImage;
    const traits: [string, Json][] = [];
    for (const [key, value] of Object.entries(spec)) {
      if (RESERVED.has(key)) continue;
      if (header.parameters.includes(key)) parameter[key] = value;
      else if (existsSync(definitionPath(key)) && definitionHeader(key).kind === 'trait') traits.push([key, value]);
      else errors.push(`${service}: ${key} is neither a parameter of ${type} nor a trait`);
    }
    for (const [key, value] of Object.entries((spec['traits'] ?? {}) as JsonObject)) traits.push([key, value]);
    for (const [trait] of traits) {
      const applies = definitionHeader(trait).appliesTo;
      if (!applies.includes('*') && !applies.includes(header.workloadType ?? '')) errors.push(`${service}: ${trait} does not apply to ${type}`);
    }
    const context = makeContext(service, { appName: app.name });
    const [component] = await evaluateWithCue([{ source: definitionText(type), parameter, context }]);
    if (!component!.ok) {
      errors.push(`${service}: ${component!.error}`);
      continue;
    }
    let workload = component!.value.output as Json;
    const outputs = { ...(component!.value.outputs ?? {}) };
    errors.push(...(component!.value.errs ?? []).map((e) => `${service}: ${e}`));
    for (const [trait, properties] of traits) {
      const [r] = await evaluateWithCue([
        { source: definitionText(trait), parameter: properties, context: { ...context, output: workload, outputs: outputs as JsonObject } },
      ]);
      if (!r!.ok) {
        errors.push(`${service}/${trait}: ${r!.error}`);
        continue;
      }
      errors.push(...(r!.value.errs ?? []).map((e) => `${service}/${trait}: ${e}`));
      if (r!.value.patch) workload = applyPatch(workload, r!.value.patch);
      for (const [name, obj] of Object.entries(r!.value.outputs ?? {})) outputs[`${trait}/${name}`] = obj;
    }
    objects.push(workload as JsonObject, ...Object.values(outputs));
  }
  return { objects, errors };
}

const examples = readdirSync(EXAMPLES).filter((d) => existsSync(join(EXAMPLES, d, 'vela.yaml')));

describe('example apps', () => {
  it('include hello, shop, voting, batch and talk', () => {
    expect(examples).toEqual(expect.arrayContaining(['hello', 'shop', 'voting', 'batch', 'talk']));
  });

  it.each(examples)('%s renders into valid Kubernetes objects', async (name) => {
    const { objects, errors } = await renderExample(join(EXAMPLES, name));
    expect(errors).toEqual([]);
    expect(objects.length).toBeGreaterThan(0);
    for (const obj of objects) {
      const id = `${String(obj['kind'])}/${String((obj['metadata'] as JsonObject | undefined)?.['name'])}`;
      expect({ id, problems: await validateObject(obj) }).toEqual({ id, problems: [] });
    }
  });

  it('shop: the frontend has two replicas behind an Ingress for shop.example.com', async () => {
    const { objects } = await renderExample(join(EXAMPLES, 'shop'));
    const frontend = objects.find((o) => o['kind'] === 'Deployment' && (o['metadata'] as JsonObject)['name'] === 'frontend') as any;
    expect(frontend.spec.replicas).toBe(2);
    const ingress = objects.find((o) => o['kind'] === 'Ingress') as any;
    expect(ingress.spec.rules[0].host).toBe('shop.example.com');
    expect(objects.filter((o) => o['kind'] === 'Service').map((o) => (o['metadata'] as JsonObject)['name']).sort()).toEqual(['api', 'frontend']);
  });

  it('voting: redis keeps its data on a PersistentVolumeClaim', async () => {
    const { objects } = await renderExample(join(EXAMPLES, 'voting'));
    const pvc = objects.find((o) => o['kind'] === 'PersistentVolumeClaim') as any;
    expect(pvc.metadata.name).toBe('redis-data');
    const redis = objects.find((o) => o['kind'] === 'StatefulSet') as any;
    expect(redis.spec.template.spec.volumes).toEqual([{ name: 'pvc-redis-data', persistentVolumeClaim: { claimName: 'redis-data' } }]);
    expect(redis.spec.template.spec.containers[0].volumeMounts).toEqual([{ name: 'pvc-redis-data', mountPath: '/data' }]);
  });

  it('batch: the CronJob (batch/v1beta1 on 1.20) carries the sidecar, the env trait and the labels trait', async () => {
    const { objects } = await renderExample(join(EXAMPLES, 'batch'));
    const cron = objects.find((o) => o['kind'] === 'CronJob') as any;
    expect(cron.apiVersion).toBe('batch/v1beta1');
    const pod = cron.spec.jobTemplate.spec.template;
    expect(pod.metadata.labels.team).toBe('data');
    expect(pod.spec.containers.map((c: any) => c.name)).toEqual(['nightly-report', 'uploader']);
    expect(pod.spec.containers[0].env).toEqual([
      { name: 'REPORT_DIR', value: '/out' },
      { name: 'REPORT_FORMAT', value: 'csv' },
    ]);
  });

  it("talk: the 2020 Appfile's route, Secret variables and files, autoscaling on CPU and requests, and the canary", async () => {
    const { objects } = await renderExample(join(EXAMPLES, 'talk'));
    expect(objects.map((o) => `${String(o['kind'])}/${String((o['metadata'] as JsonObject)['name'])}`)).toEqual([
      'Deployment/express-server',
      'Ingress/express-server',
      'Service/express-server',
      'ScaledObject/express-server',
      'Deployment/express-server-canary',
      'Service/express-server-canary',
      'Ingress/express-server-canary',
    ]);
    const deployment = objects[0] as any;
    // The autoscaler owns the replicas: `replica: 2` is not in the workload.
    expect(deployment.spec.replicas).toBeUndefined();
    const container = deployment.spec.template.spec.containers[0];
    expect(container.command).toEqual(['node', 'server.js']);
    expect(container.env.map((e: any) => e.name)).toEqual(['F00', 'F002', 'F003']);
    expect(container.envFrom).toEqual([{ secretRef: { name: 'my-secret' } }]);
    expect(container.volumeMounts).toEqual([{ name: 'files-0', mountPath: '/mnt/path', readOnly: true }]);
    const ingress = objects[1] as any;
    expect(ingress.spec.rules[0].host).toBe('example.com');
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'express-server', port: { number: 8080 } });
    const scaled = objects[3] as any;
    expect(scaled.spec.triggers.map((t: any) => t.type)).toEqual(['cpu', 'prometheus']);
    // The canary: one pod on the same image at first, reached by requests whose header foo matches bar.*.
    const canary = objects[4] as any;
    expect(canary.spec.replicas).toBe(1);
    expect(canary.spec.template.spec.containers[0].image).toBe(container.image);
    expect((objects[6] as any).metadata.annotations['nginx.ingress.kubernetes.io/canary-by-header-pattern']).toBe('bar.*');
  });
});
