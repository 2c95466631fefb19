/**
 * The built-in definitions load through vela's capability loader: one header
 * each, the expected kind and workload type, and a parameter schema with the
 * required parameters KubeVela's definitions of the same name have.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CapabilityDefinition, parseDefinitionFile } from '../../src/capability/index.js';
import { SourceFile } from '../../src/source/position.js';
import { DEFINITIONS_DIR } from './harness.js';

const expected: Record<string, { kind: 'component' | 'trait'; workloadType?: string; required: string[] }> = {
  webservice: { kind: 'component', workloadType: 'deployments.apps', required: ['image'] },
  worker: { kind: 'component', workloadType: 'deployments.apps', required: ['image'] },
  task: { kind: 'component', workloadType: 'jobs.batch', required: ['image'] },
  'cron-task': { kind: 'component', workloadType: 'cronjobs.batch', required: ['schedule', 'image'] },
  daemon: { kind: 'component', workloadType: 'daemonsets.apps', required: ['image'] },
  statefulset: { kind: 'component', workloadType: 'statefulsets.apps', required: ['image'] },
  // `[...T]` and `[string]: T` need no value in CUE, so the schema requires none (the templates' errs still say so).
  'k8s-objects': { kind: 'component', workloadType: 'autodetects.core.oam.dev', required: [] },
  'ref-objects': { kind: 'component', workloadType: 'autodetects.core.oam.dev', required: [] },
  scaler: { kind: 'trait', required: [] },
  gateway: { kind: 'trait', required: [] },
  expose: { kind: 'trait', required: [] },
  hpa: { kind: 'trait', required: [] },
  labels: { kind: 'trait', required: [] },
  annotations: { kind: 'trait', required: [] },
  env: { kind: 'trait', required: [] },
  command: { kind: 'trait', required: [] },
  sidecar: { kind: 'trait', required: ['name', 'image'] },
  'init-container': { kind: 'trait', required: ['name', 'image', 'appMountPath', 'initMountPath'] },
  resource: { kind: 'trait', required: [] },
  storage: { kind: 'trait', required: [] },
  'service-account': { kind: 'trait', required: ['name'] },
  affinity: { kind: 'trait', required: [] },
  'startup-probe': { kind: 'trait', required: [] },
  securitycontext: { kind: 'trait', required: [] },
  'json-patch': { kind: 'trait', required: [] },
  'json-merge-patch': { kind: 'trait', required: [] },
  route: { kind: 'trait', required: [] },
  scale: { kind: 'trait', required: [] },
  autoscale: { kind: 'trait', required: ['min', 'max'] },
  rollout: { kind: 'trait', required: [] },
  metrics: { kind: 'trait', required: [] },
  canary: { kind: 'trait', required: [] },
  'container-image': { kind: 'trait', required: [] },
  'container-ports': { kind: 'trait', required: [] },
  cpuscaler: { kind: 'trait', required: [] },
  hostalias: { kind: 'trait', required: [] },
  'k8s-update-strategy': { kind: 'trait', required: [] },
  lifecycle: { kind: 'trait', required: [] },
  nocalhost: { kind: 'trait', required: ['port', 'image'] },
  podsecuritycontext: { kind: 'trait', required: [] },
  'pure-ingress': { kind: 'trait', required: ['domain'] },
  'service-binding': { kind: 'trait', required: [] },
  topologyspreadconstraints: { kind: 'trait', required: [] },
  ingress: { kind: 'trait', required: ['domain'] },
  'ingress-1-20': { kind: 'trait', required: ['domain'] },
  volumes: { kind: 'trait', required: [] },
  pvc: { kind: 'trait', required: ['claimName', 'resources'] },
  configmap: { kind: 'trait', required: [] },
  'node-affinity': { kind: 'trait', required: [] },
};

const files = readdirSync(DEFINITIONS_DIR).filter((f) => f.endsWith('.cue'));

describe('built-in definitions load', () => {
  it('are exactly the expected set', () => {
    expect(files.map((f) => f.slice(0, -4)).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(files)('%s', (file) => {
    const path = join(DEFINITIONS_DIR, file);
    const { definitions, diagnostics } = parseDefinitionFile(new SourceFile(path, readFileSync(path, 'utf8')), 'builtin');
    expect(diagnostics).toEqual([]);
    expect(definitions).toHaveLength(1);
    const def = new CapabilityDefinition(definitions[0]!);
    const want = expected[def.name]!;
    expect(def.name).toBe(file.slice(0, -4));
    expect(def.kind).toBe(want.kind);
    expect(def.description.length).toBeGreaterThan(20);
    if (want.kind === 'component') {
      expect(def.workloadType).toBe(want.workloadType);
      expect(def.appliesTo).toEqual([]);
    } else {
      expect(def.appliesTo.length).toBeGreaterThan(0);
    }
    expect([...(def.schema.required ?? [])].sort()).toEqual([...want.required].sort());
    for (const [name, prop] of Object.entries(def.schema.properties ?? {})) {
      expect(prop.description, `${def.name}.${name} has a description`).toBeTruthy();
    }
  });
});
