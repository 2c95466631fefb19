/**
 * Trait patch strategies, on the shapes KubeVela's built-in traits produce
 * (sidecar, env, labels, resource, scaler, storage, k8s-update-strategy,
 * command, json-merge-patch, json-patch).
 */
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/appfile/model.js';
import {
  applyPatch,
  formatPatchPath,
  JsonPatchError,
  parseJsonPointer,
  PatchConflictError,
  PatchError,
  type PatchMeta,
} from '../../src/render/patch.js';

type Json = { [key: string]: JsonValue };

/** A Deployment as the webservice component renders it. */
function deployment(): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      labels: { 'app.oam.dev/component': 'web' },
      annotations: { 'app.oam.dev/owner': 'team-a', 'deployment.kubernetes.io/revision': '3' },
    },
    spec: {
      selector: { matchLabels: { 'app.oam.dev/component': 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { 'app.oam.dev/component': 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.25',
              args: ['--port', '80'],
              ports: [{ containerPort: 80, name: 'http' }],
              env: [
                { name: 'LOG_LEVEL', value: 'info' },
                { name: 'DB_HOST', value: 'db' },
              ],
              resources: { requests: { cpu: '100m', memory: '64Mi' } },
              volumeMounts: [{ name: 'config', mountPath: '/etc/nginx' }],
            },
          ],
          volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
        },
      },
    },
  };
}

/** The meta tree for one annotated field at `path` (what the CUE engine hands over). */
function metaAt(path: readonly string[], leaf: PatchMeta): PatchMeta {
  return path.reduceRight<PatchMeta>((inner, name) => ({ fields: { [name]: inner } }), leaf);
}

const POD_SPEC = ['spec', 'template', 'spec'] as const;
const CONTAINERS = [...POD_SPEC, 'containers'] as const;
const keyedContainers = metaAt(CONTAINERS, { patchKey: 'name' });

/** `spec.template.spec: <podSpec>` */
function podPatch(podSpec: Json): Json {
  return { spec: { template: { spec: podSpec } } };
}

function at(value: JsonValue, ...path: (string | number)[]): JsonValue {
  let current: JsonValue = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment] as JsonValue;
    else if (current !== null && typeof current === 'object' && !Array.isArray(current) && typeof segment === 'string') {
      current = current[segment] as JsonValue;
    } else throw new Error(`no ${String(segment)}`);
  }
  return current;
}

function containersOf(workload: JsonValue): Json[] {
  return at(workload, ...CONTAINERS) as Json[];
}

/** The error `fn` throws (fails the test if it throws none). */
function thrown(fn: () => unknown): Error {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, 'expected an error').toBeInstanceOf(Error);
  return error as Error;
}

function deepFreeze<T extends JsonValue>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item as JsonValue);
    Object.freeze(value);
  }
  return value;
}

describe('default merge (CUE unification)', () => {
  it('adds labels to metadata and keeps the others', () => {
    const result = applyPatch(deployment(), { metadata: { labels: { tier: 'frontend' } } }, undefined);
    expect(at(result, 'metadata', 'labels')).toEqual({ 'app.oam.dev/component': 'web', tier: 'frontend' });
    expect(at(result, 'metadata', 'name')).toBe('web');
    expect(at(result, 'spec', 'strategy')).toEqual(at(deployment(), 'spec', 'strategy'));
  });

  it('keeps the workload key order and appends new keys in patch order', () => {
    const result = applyPatch({ b: 1, a: { y: 1 } }, { z: 1, a: { x: 2 }, c: 3 }, undefined);
    expect(Object.keys(result as Json)).toEqual(['b', 'a', 'z', 'c']);
    expect(Object.keys(at(result, 'a') as Json)).toEqual(['y', 'x']);
  });

  it('rejects a label with a different value, naming the quoted path', () => {
    const error = thrown(() => applyPatch(deployment(), { metadata: { labels: { 'app.oam.dev/component': 'api' } } }, undefined));
    expect(error).toBeInstanceOf(PatchConflictError);
    expect(error.message).toBe('metadata.labels["app.oam.dev/component"]: conflicting values "web" and "api"');
    expect((error as PatchConflictError).path).toEqual(['metadata', 'labels', 'app.oam.dev/component']);
  });

  describe('scaler patching spec.replicas', () => {
    const scale = (replicas: number) => ({ spec: { replicas } });

    it('adds replicas the workload does not set', () => {
      expect(at(applyPatch(deployment(), scale(3), undefined), 'spec', 'replicas')).toBe(3);
    });

    it('accepts the value the workload already has', () => {
      const workload = applyPatch(deployment(), scale(2), undefined);
      expect(at(applyPatch(workload, scale(2), undefined), 'spec', 'replicas')).toBe(2);
    });

    it('rejects a different value with the path and both values', () => {
      const workload = applyPatch(deployment(), scale(2), undefined);
      const error = thrown(() => applyPatch(workload, scale(3), undefined));
      expect(error).toBeInstanceOf(PatchConflictError);
      expect(error).toBeInstanceOf(PatchError);
      const conflict = error as PatchConflictError;
      expect(conflict.path).toEqual(['spec', 'replicas']);
      expect(conflict.existing).toBe(2);
      expect(conflict.incoming).toBe(3);
      expect(conflict.message).toBe('spec.replicas: conflicting values 2 and 3');
    });

    it('overrides the value under retainKeys, as KubeVela\'s scaler does', () => {
      const workload = applyPatch(deployment(), scale(2), undefined);
      const result = applyPatch(workload, scale(5), metaAt(['spec', 'replicas'], { strategy: 'retainKeys' }));
      expect(at(result, 'spec', 'replicas')).toBe(5);
    });

    it('tells a number from a string', () => {
      const workload = applyPatch(deployment(), scale(2), undefined);
      const error = thrown(() => applyPatch(workload, { spec: { replicas: '2' } }, undefined));
      expect(error.message).toBe('spec.replicas: conflicting values 2 and "2" (mismatched types number and string)');
    });
  });

  it('rejects a patch that puts a struct where the workload has a scalar', () => {
    const error = thrown(() => applyPatch(deployment(), podPatch({ containers: [{ image: { name: 'x' } }] }), undefined));
    expect(error).toBeInstanceOf(PatchConflictError);
    expect(error.message).toBe(
      'spec.template.spec.containers[0].image: conflicting values "nginx:1.25" and {...} (mismatched types string and object)',
    );
  });

  it('rejects a list where the workload has an object', () => {
    const error = thrown(() => applyPatch(deployment(), { metadata: { labels: ['a'] } }, undefined));
    expect((error as PatchConflictError).path).toEqual(['metadata', 'labels']);
    expect(error.message).toContain('mismatched types object and list');
  });

  it('treats null as a value: equal nulls unify, null against a value conflicts, nothing is deleted', () => {
    const base = { spec: { paused: null, minReadySeconds: 5 } };
    expect(applyPatch(base, { spec: { paused: null } }, undefined)).toEqual(base);
    const error = thrown(() => applyPatch(base, { spec: { minReadySeconds: null } }, undefined));
    expect(error.message).toBe('spec.minReadySeconds: conflicting values 5 and null (mismatched types number and null)');
  });

  describe('lists without a key merge item by item', () => {
    it('merges items at the same index and lets the patch append at the end', () => {
      const patch = podPatch({ containers: [{ name: 'web', args: ['--port', '80', '--verbose'] }] });
      expect(at(applyPatch(deployment(), patch, undefined), ...CONTAINERS, 0, 'args')).toEqual(['--port', '80', '--verbose']);
    });

    it('rejects a different item at the same index', () => {
      const error = thrown(() => applyPatch(deployment(), podPatch({ containers: [{ args: ['--port', '8080'] }] }), undefined));
      expect(error.message).toBe('spec.template.spec.containers[0].args[1]: conflicting values "80" and "8080"');
      expect((error as PatchConflictError).path).toEqual([...CONTAINERS, '0', 'args', '1']);
    });

    it('rejects a shorter patch list (an open list cannot lose items)', () => {
      const error = thrown(() => applyPatch(deployment(), podPatch({ containers: [{ args: ['--port'] }] }), undefined));
      expect(error).toBeInstanceOf(PatchConflictError);
      expect(error.message).toMatch(/^spec\.template\.spec\.containers\[0\]\.args: conflicting lists: the workload has 2 items and the patch 1/);
      expect((error as PatchConflictError).existing).toEqual(['--port', '80']);
      expect((error as PatchConflictError).incoming).toEqual(['--port']);
    });

    it('appends a container when the patch repeats the existing one first', () => {
      const result = applyPatch(deployment(), podPatch({ containers: [{ name: 'web' }, { name: 'log', image: 'busybox' }] }), undefined);
      expect(containersOf(result).map((c) => c['name'])).toEqual(['web', 'log']);
    });
  });
});

describe('+patchKey', () => {
  it('sidecar: appends a container matched by nothing', () => {
    const sidecar = { name: 'log-agent', image: 'fluentd:1.16', volumeMounts: [{ name: 'logs', mountPath: '/var/log' }] };
    const result = applyPatch(deployment(), podPatch({ containers: [sidecar] }), keyedContainers);
    const containers = containersOf(result);
    expect(containers.map((c) => c['name'])).toEqual(['web', 'log-agent']);
    expect(containers[0]).toEqual(containersOf(deployment())[0]);
    expect(containers[1]).toEqual(sidecar);
  });

  it('sidecar without a key is a length conflict (it would land on index 0)', () => {
    const error = thrown(() => applyPatch(deployment(), podPatch({ containers: [{ name: 'log-agent', image: 'fluentd' }] }), undefined));
    expect(error.message).toBe('spec.template.spec.containers[0].name: conflicting values "web" and "log-agent"');
  });

  it('appends unmatched items in patch order after the merged ones', () => {
    const patch = podPatch({ containers: [{ name: 'b', image: 'b' }, { name: 'web', imagePullPolicy: 'Always' }, { name: 'a', image: 'a' }] });
    const containers = containersOf(applyPatch(deployment(), patch, keyedContainers));
    expect(containers.map((c) => c['name'])).toEqual(['web', 'b', 'a']);
    expect(containers[0]?.['imagePullPolicy']).toBe('Always');
  });

  describe('env trait', () => {
    const envPatch = (env: Json[], envMeta?: PatchMeta) =>
      [
        podPatch({ containers: [{ name: 'web', env }] }),
        envMeta === undefined ? keyedContainers : metaAt(CONTAINERS, { patchKey: 'name', items: [{ fields: { env: envMeta } }] }),
      ] as const;

    it('merges env vars into the container by name (the key is inherited by env)', () => {
      const [patch, meta] = envPatch([
        { name: 'FEATURE_X', value: 'on' },
        { name: 'LOG_LEVEL', value: 'info' },
      ]);
      const env = at(applyPatch(deployment(), patch, meta), ...CONTAINERS, 0, 'env');
      expect(env).toEqual([
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'DB_HOST', value: 'db' },
        { name: 'FEATURE_X', value: 'on' },
      ]);
    });

    it('rejects a changed value of an existing variable under plain merge', () => {
      const [patch, meta] = envPatch([{ name: 'LOG_LEVEL', value: 'debug' }]);
      const error = thrown(() => applyPatch(deployment(), patch, meta));
      expect(error).toBeInstanceOf(PatchConflictError);
      // The path is the position in the workload: container 0, env item 0.
      expect(error.message).toBe('spec.template.spec.containers[0].env[0].value: conflicting values "info" and "debug"');
    });

    it('replaces the whole env list under +patchStrategy=replace (KubeVela env trait)', () => {
      const [patch, meta] = envPatch([{ name: 'LOG_LEVEL', value: 'debug' }], { strategy: 'replace' });
      const result = applyPatch(deployment(), patch, meta);
      expect(at(result, ...CONTAINERS, 0, 'env')).toEqual([{ name: 'LOG_LEVEL', value: 'debug' }]);
      expect(at(result, ...CONTAINERS, 0, 'image')).toBe('nginx:1.25');
    });

    it('replaces matched items under retainKeys on the keyed list', () => {
      const [patch, meta] = envPatch([{ name: 'DB_HOST', valueFrom: { secretKeyRef: { name: 'db', key: 'host' } } }], {
        strategy: 'retainKeys',
      });
      expect(at(applyPatch(deployment(), patch, meta), ...CONTAINERS, 0, 'env')).toEqual([
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'DB_HOST', valueFrom: { secretKeyRef: { name: 'db', key: 'host' } } },
      ]);
    });

    it('lets a nested list give its own key', () => {
      const base = podPatch({ containers: [{ name: 'web', envs: [{ key: 'A', value: '1' }] }] });
      const patch = podPatch({ containers: [{ name: 'web', envs: [{ key: 'B', value: '2' }, { key: 'A', value: '1' }] }] });
      const meta = metaAt(CONTAINERS, { patchKey: 'name', items: [{ fields: { envs: { patchKey: 'key' } } }] });
      expect(at(applyPatch(base, patch, meta), ...CONTAINERS, 0, 'envs')).toEqual([
        { key: 'A', value: '1' },
        { key: 'B', value: '2' },
      ]);
    });
  });

  it('resource trait: a container without a name merges by index into the only container', () => {
    const patch = podPatch({ containers: [{ resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1' } } }] });
    const meta = metaAt(CONTAINERS, {
      patchKey: 'name',
      items: [{ fields: { resources: { fields: { requests: { strategy: 'retainKeys' }, limits: { strategy: 'retainKeys' } } } } }],
    });
    const result = applyPatch(deployment(), patch, meta);
    expect(at(result, ...CONTAINERS, 0, 'resources')).toEqual({ requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1' } });
    expect(at(result, ...CONTAINERS, 0, 'name')).toBe('web');

    // Without retainKeys the existing requests conflict.
    expect(() => applyPatch(deployment(), patch, keyedContainers)).toThrow(
      'spec.template.spec.containers[0].resources.requests.cpu: conflicting values "100m" and "500m"',
    );
  });

  it('resource trait on a two-container workload is a list conflict, as in KubeVela', () => {
    const twoContainers = applyPatch(deployment(), podPatch({ containers: [{ name: 'log', image: 'busybox' }] }), keyedContainers);
    const error = thrown(() => applyPatch(twoContainers, podPatch({ containers: [{ resources: { limits: { cpu: '1' } } }] }), keyedContainers));
    expect(error.message).toMatch(/^spec\.template\.spec\.containers: conflicting lists: the workload has 2 items and the patch 1/);
  });

  it('storage trait: adds volumes and volumeMounts by name, merging the ones that exist', () => {
    const patch = podPatch({
      volumes: [
        { name: 'config', configMap: { name: 'web-config' } },
        { name: 'pvc-data', persistentVolumeClaim: { claimName: 'data' } },
      ],
      containers: [
        {
          name: 'web',
          volumeMounts: [
            { name: 'pvc-data', mountPath: '/data' },
            { name: 'config', mountPath: '/etc/nginx' },
          ],
        },
      ],
    });
    const meta = metaAt(POD_SPEC, { fields: { volumes: { patchKey: 'name' }, containers: { patchKey: 'name' } } });
    const result = applyPatch(deployment(), patch, meta);
    expect(at(result, ...POD_SPEC, 'volumes')).toEqual([
      { name: 'config', configMap: { name: 'web-config' } },
      { name: 'pvc-data', persistentVolumeClaim: { claimName: 'data' } },
    ]);
    expect(at(result, ...CONTAINERS, 0, 'volumeMounts')).toEqual([
      { name: 'config', mountPath: '/etc/nginx' },
      { name: 'pvc-data', mountPath: '/data' },
    ]);
  });

  it('rejects a changed mount path of an existing volumeMount', () => {
    const patch = podPatch({ containers: [{ name: 'web', volumeMounts: [{ name: 'config', mountPath: '/config' }] }] });
    expect(() => applyPatch(deployment(), patch, keyedContainers)).toThrow(
      'spec.template.spec.containers[0].volumeMounts[0].mountPath: conflicting values "/etc/nginx" and "/config"',
    );
  });

  it('is inherited from a field above the list (a key on `spec` keys the containers)', () => {
    const patch = podPatch({ containers: [{ name: 'log', image: 'busybox' }] });
    const result = applyPatch(deployment(), patch, metaAt(['spec'], { patchKey: 'name' }));
    expect(containersOf(result).map((c) => c['name'])).toEqual(['web', 'log']);
  });

  it('is in effect everywhere when given on the patch root', () => {
    const patch = podPatch({ containers: [{ name: 'log', image: 'busybox' }] });
    expect(containersOf(applyPatch(deployment(), patch, { patchKey: 'name' })).map((c) => c['name'])).toEqual(['web', 'log']);
  });

  it('does not apply when no patch item has the key: ports merge by index', () => {
    const patch = podPatch({ containers: [{ name: 'web', ports: [{ containerPort: 80 }, { containerPort: 9090 }] }] });
    const ports = at(applyPatch(deployment(), patch, keyedContainers), ...CONTAINERS, 0, 'ports');
    expect(ports).toEqual([{ containerPort: 80, name: 'http' }, { containerPort: 9090 }]);
  });

  it('supports a dotted key path', () => {
    const base: Json = { envFrom: [{ secretRef: { name: 'rds' } }] };
    const patch: Json = { envFrom: [{ secretRef: { name: 'redis' } }, { secretRef: { name: 'rds', optional: true } }] };
    const result = applyPatch(base, patch, { fields: { envFrom: { patchKey: 'secretRef.name' } } });
    expect(result).toEqual({ envFrom: [{ secretRef: { name: 'rds', optional: true } }, { secretRef: { name: 'redis' } }] });
  });

  it('supports alternative keys separated by commas', () => {
    const base: Json = { envFrom: [{ secretRef: { name: 'rds' } }, { configMapRef: { name: 'rds' } }] };
    const patch: Json = { envFrom: [{ configMapRef: { name: 'redis' } }, { secretRef: { name: 'redis' } }, { configMapRef: { name: 'rds', optional: true } }] };
    const result = applyPatch(base, patch, { fields: { envFrom: { patchKey: 'secretRef.name,configMapRef.name' } } });
    expect(result).toEqual({
      envFrom: [
        { secretRef: { name: 'rds' } },
        { configMapRef: { name: 'rds', optional: true } },
        { configMapRef: { name: 'redis' } },
        { secretRef: { name: 'redis' } },
      ],
    });
  });

  it('compares key values by type: 80 is not "80"', () => {
    const base = { ports: [{ port: 80, name: 'a' }] };
    const result = applyPatch(base, { ports: [{ port: '80', name: 'b' }] }, { fields: { ports: { patchKey: 'port' } } });
    expect(result).toEqual({ ports: [{ port: 80, name: 'a' }, { port: '80', name: 'b' }] });
  });

  it('keeps workload items that lack the key and never matches them', () => {
    const base: Json = { volumes: [{ emptyDir: {} }, { name: 'data', emptyDir: {} }] };
    const result = applyPatch(base, { volumes: [{ name: 'data', emptyDir: { medium: 'Memory' } }] }, { fields: { volumes: { patchKey: 'name' } } });
    expect(result).toEqual({ volumes: [{ emptyDir: {} }, { name: 'data', emptyDir: { medium: 'Memory' } }] });
  });

  it('merges into the first of several workload items with the same key only', () => {
    const base = { mounts: [{ name: 'k', path: '/a' }, { name: 'k', path: '/b' }] };
    const result = applyPatch(base, { mounts: [{ name: 'k', readOnly: true }] }, { fields: { mounts: { patchKey: 'name' } } });
    expect(result).toEqual({ mounts: [{ name: 'k', path: '/a', readOnly: true }, { name: 'k', path: '/b' }] });
  });

  it('leaves a keyed list unchanged for an empty patch list', () => {
    const result = applyPatch(deployment(), podPatch({ containers: [] }), keyedContainers);
    expect(result).toEqual(deployment());
  });

  it('rejects an empty patch list without a key (CUE list lengths)', () => {
    expect(() => applyPatch(deployment(), podPatch({ volumes: [] }), undefined)).toThrow(PatchConflictError);
  });

  it('rejects a patch item without the key among items that have it', () => {
    const patch = podPatch({ containers: [{ name: 'log', image: 'busybox' }, { image: 'nameless' }] });
    const error = thrown(() => applyPatch(deployment(), patch, keyedContainers));
    expect(error).toBeInstanceOf(PatchError);
    expect(error).not.toBeInstanceOf(PatchConflictError);
    expect(error.message).toBe('spec.template.spec.containers: item 1 of the patch cannot be matched by +patchKey=name: it has no "name"');
    expect((error as PatchError).path).toEqual([...CONTAINERS]);
  });

  it('rejects two patch items with the same key', () => {
    const patch = podPatch({ containers: [{ name: 'log', image: 'a' }, { name: 'log', image: 'b' }] });
    expect(() => applyPatch(deployment(), patch, keyedContainers)).toThrow(
      'spec.template.spec.containers: the patch has two items with name "log" (items 0 and 1; +patchKey=name)',
    );
  });

  it('rejects a key whose value is an object', () => {
    const error = thrown(() => applyPatch({ items: [] }, { items: [{ name: { first: 'x' } }] }, { fields: { items: { patchKey: 'name' } } }));
    expect(error.message).toBe('items: item 0 of the patch cannot be matched by +patchKey=name: its "name" is an object, not a key value');
  });

  it('adds a keyed list the workload does not have, as given', () => {
    const patch = podPatch({ initContainers: [{ name: 'init', image: 'busybox' }] });
    const result = applyPatch(deployment(), patch, metaAt([...POD_SPEC, 'initContainers'], { patchKey: 'name' }));
    expect(at(result, ...POD_SPEC, 'initContainers')).toEqual([{ name: 'init', image: 'busybox' }]);
  });

  it('rejects a keyed patch list where the workload has an object', () => {
    expect(() => applyPatch({ spec: { hostAliases: { ip: 'x' } } }, { spec: { hostAliases: [{ ip: '10.0.0.1' }] } }, metaAt(['spec', 'hostAliases'], { patchKey: 'ip' }))).toThrow(
      PatchConflictError,
    );
  });
});

describe('+patchStrategy=retainKeys', () => {
  const recreate = { spec: { strategy: { type: 'Recreate' } } };

  it('replaces the update strategy instead of merging (k8s-update-strategy)', () => {
    const result = applyPatch(deployment(), recreate, metaAt(['spec', 'strategy'], { strategy: 'retainKeys' }));
    expect(at(result, 'spec', 'strategy')).toEqual({ type: 'Recreate' });
    expect(at(result, 'spec', 'selector')).toEqual(at(deployment(), 'spec', 'selector'));
  });

  it('without it the strategy types conflict', () => {
    expect(() => applyPatch(deployment(), recreate, undefined)).toThrow('spec.strategy.type: conflicting values "RollingUpdate" and "Recreate"');
  });

  it('replaces a scalar (container-image trait)', () => {
    const patch = podPatch({ containers: [{ name: 'web', image: 'nginx:1.27' }] });
    const meta = metaAt(CONTAINERS, { patchKey: 'name', items: [{ fields: { image: { strategy: 'retainKeys' } } }] });
    const result = applyPatch(deployment(), patch, meta);
    expect(at(result, ...CONTAINERS, 0, 'image')).toBe('nginx:1.27');
    expect(at(result, ...CONTAINERS, 0, 'env')).toEqual(at(deployment(), ...CONTAINERS, 0, 'env'));
  });

  it('follows the patch item it annotates (items are by patch index, not workload index)', () => {
    const patch = podPatch({ containers: [{ name: 'log', image: 'busybox' }, { name: 'web', image: 'nginx:1.27' }] });
    const meta = metaAt(CONTAINERS, { patchKey: 'name', items: [{}, { fields: { image: { strategy: 'retainKeys' } } }] });
    const containers = containersOf(applyPatch(deployment(), patch, meta));
    expect(containers.map((c) => [c['name'], c['image']])).toEqual([
      ['web', 'nginx:1.27'],
      ['log', 'busybox'],
    ]);
  });

  it('is not in effect on the patch root (it would replace the workload)', () => {
    const result = applyPatch(deployment(), { spec: { replicas: 2 } }, { strategy: 'retainKeys' });
    expect(at(result, 'spec', 'replicas')).toBe(2);
    expect(at(result, 'kind')).toBe('Deployment');
  });
});

describe('+patchStrategy=replace', () => {
  const argsMeta = metaAt(CONTAINERS, { patchKey: 'name', items: [{ fields: { args: { strategy: 'replace' } } }] });

  it('replaces args (command trait)', () => {
    const result = applyPatch(deployment(), podPatch({ containers: [{ name: 'web', args: ['--verbose'] }] }), argsMeta);
    expect(at(result, ...CONTAINERS, 0, 'args')).toEqual(['--verbose']);
  });

  it('can empty a list', () => {
    const result = applyPatch(deployment(), podPatch({ containers: [{ name: 'web', args: [] }] }), argsMeta);
    expect(at(result, ...CONTAINERS, 0, 'args')).toEqual([]);
  });

  it('wins over a key on the same list', () => {
    const meta = metaAt(CONTAINERS, { patchKey: 'name', strategy: 'replace' });
    const result = applyPatch(deployment(), podPatch({ containers: [{ name: 'only', image: 'x' }] }), meta);
    expect(containersOf(result)).toEqual([{ name: 'only', image: 'x' }]);
  });

  it('has no effect on an object field (KubeVela applies it to lists only)', () => {
    const meta = metaAt(['metadata', 'labels'], { strategy: 'replace' });
    const result = applyPatch(deployment(), { metadata: { labels: { tier: 'web' } } }, meta);
    expect(at(result, 'metadata', 'labels')).toEqual({ 'app.oam.dev/component': 'web', tier: 'web' });
  });
});

describe('+patchStrategy=jsonMergePatch (RFC 7396)', () => {
  const merge: PatchMeta = { strategy: 'jsonMergePatch' };

  it('deletes an annotation with null and sets another', () => {
    const patch = { metadata: { annotations: { 'deployment.kubernetes.io/revision': null, 'team': 'b' } } };
    const result = applyPatch(deployment(), patch, merge);
    expect(at(result, 'metadata', 'annotations')).toEqual({ 'app.oam.dev/owner': 'team-a', team: 'b' });
  });

  it('overrides scalars and replaces lists without conflicts (labels / json-merge-patch traits)', () => {
    const patch = {
      metadata: { labels: { 'app.oam.dev/component': 'api' } },
      spec: { replicas: 4, template: { spec: { containers: [{ name: 'c3', image: 'image3' }] } } },
    };
    const result = applyPatch(deployment(), patch, merge);
    expect(at(result, 'metadata', 'labels')).toEqual({ 'app.oam.dev/component': 'api' });
    expect(at(result, 'spec', 'replicas')).toBe(4);
    expect(containersOf(result)).toEqual([{ name: 'c3', image: 'image3' }]);
    expect(at(result, ...POD_SPEC, 'volumes')).toEqual(at(deployment(), ...POD_SPEC, 'volumes'));
  });

  it('follows the RFC 7396 examples', () => {
    const target = { title: 'Goodbye!', author: { givenName: 'John', familyName: 'Doe' }, tags: ['example', 'sample'], content: 'This will be unchanged' };
    const patch = { title: 'Hello!', phoneNumber: '+01-123-456-7890', author: { familyName: null }, tags: ['example'] };
    expect(applyPatch(target, patch, merge)).toEqual({
      title: 'Hello!',
      author: { givenName: 'John' },
      tags: ['example'],
      content: 'This will be unchanged',
      phoneNumber: '+01-123-456-7890',
    });
    expect(applyPatch({ a: 'b' }, { a: { bb: { ccc: null } } }, merge)).toEqual({ a: { bb: {} } });
    expect(applyPatch({ a: 'foo' }, 'bar', merge)).toBe('bar');
    expect(applyPatch(['a', 'b'], { a: 'c' }, merge)).toEqual({ a: 'c' });
    expect(applyPatch({ e: null }, { a: 1 }, merge)).toEqual({ e: null, a: 1 });
  });
});

describe('+patchStrategy=jsonPatch (RFC 6902)', () => {
  const jsonPatch: PatchMeta = { strategy: 'jsonPatch' };
  const ops = (...operations: Json[]) => ({ operations });

  it('adds a container at the front (json-patch trait example)', () => {
    const result = applyPatch(deployment(), ops({ op: 'add', path: '/spec/template/spec/containers/0', value: { name: 'c4', image: 'image4' } }), jsonPatch);
    expect(containersOf(result).map((c) => c['name'])).toEqual(['c4', 'web']);
  });

  it('applies every operation in order', () => {
    const result = applyPatch(
      deployment(),
      ops(
        { op: 'test', path: '/metadata/name', value: 'web' },
        { op: 'add', path: '/spec/replicas', value: 3 },
        { op: 'add', path: '/spec/template/spec/containers/0/args/-', value: '--verbose' },
        { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.27' },
        { op: 'remove', path: '/spec/template/spec/containers/0/env/1' },
        { op: 'copy', from: '/metadata/labels', path: '/spec/template/metadata/annotations' },
        { op: 'move', from: '/metadata/annotations/app.oam.dev~1owner', path: '/metadata/labels/owner' },
        { op: 'add', path: '/metadata/annotations/a~0b', value: 'tilde' },
        { op: 'test', path: '/spec/template/spec/containers/0/env', value: [{ value: 'info', name: 'LOG_LEVEL' }] },
      ),
      jsonPatch,
    );
    expect(at(result, 'spec', 'replicas')).toBe(3);
    const container = containersOf(result)[0] as Json;
    expect(container['args']).toEqual(['--port', '80', '--verbose']);
    expect(container['image']).toBe('nginx:1.27');
    expect(container['env']).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
    expect(at(result, 'spec', 'template', 'metadata', 'annotations')).toEqual({ 'app.oam.dev/component': 'web' });
    expect(at(result, 'metadata', 'labels')).toEqual({ 'app.oam.dev/component': 'web', owner: 'team-a' });
    expect(at(result, 'metadata', 'annotations')).toEqual({ 'deployment.kubernetes.io/revision': '3', 'a~b': 'tilde' });
  });

  it('copies deeply: changing the copy leaves the source alone', () => {
    const result = applyPatch(
      { a: { x: [1] } },
      ops({ op: 'copy', from: '/a', path: '/b' }, { op: 'add', path: '/b/x/-', value: 2 }),
      jsonPatch,
    );
    expect(result).toEqual({ a: { x: [1] }, b: { x: [1, 2] } });
  });

  it('replaces and tests the whole document with the empty pointer', () => {
    expect(applyPatch({ a: 1 }, ops({ op: 'test', path: '', value: { a: 1 } }, { op: 'replace', path: '', value: { b: 2 } }), jsonPatch)).toEqual({ b: 2 });
  });

  it('moves a list item within the list', () => {
    expect(applyPatch({ l: ['a', 'b', 'c'] }, ops({ op: 'move', from: '/l/0', path: '/l/-' }), jsonPatch)).toEqual({ l: ['b', 'c', 'a'] });
  });

  it('treats keys such as __proto__ and constructor as data', () => {
    const result = applyPatch({ a: {} }, ops({ op: 'add', path: '/a/__proto__', value: 1 }, { op: 'add', path: '/a/constructor', value: 2 }), jsonPatch) as Json;
    expect(Object.keys(at(result, 'a') as Json)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(at(result, 'a'))).toBe(Object.prototype);
    expect(() => applyPatch({ a: {} }, ops({ op: 'remove', path: '/a/constructor' }), jsonPatch)).toThrow('path not found');
  });

  const failures: [string, JsonValue, string][] = [
    ['a failing test', { op: 'test', path: '/metadata/name', value: 'api' }, 'json patch operation 0 (test /metadata/name): test failed: the value is "web", not "api"'],
    ['remove of a missing member', { op: 'remove', path: '/spec/replicas' }, 'json patch operation 0 (remove /spec/replicas): path not found (no "replicas")'],
    ['replace of a missing member', { op: 'replace', path: '/spec/paused', value: true }, 'json patch operation 0 (replace /spec/paused): path not found (no "paused")'],
    ['add under a missing parent', { op: 'add', path: '/spec/nope/x', value: 1 }, 'json patch operation 0 (add /spec/nope/x): path not found (no "nope")'],
    ['an index past the end', { op: 'add', path: '/spec/template/spec/containers/2', value: {} }, 'index 2 is out of range (the list has 1 items)'],
    ['remove of "-"', { op: 'remove', path: '/spec/template/spec/containers/-' }, '"-" (the end of the list) names no existing item'],
    ['an index with a leading zero', { op: 'remove', path: '/spec/template/spec/containers/00' }, '"00" is not a list index'],
    ['a path through a scalar', { op: 'add', path: '/kind/x', value: 1 }, 'cannot add to /kind: it is not an object or a list'],
    ['a pointer without a leading slash', { op: 'add', path: 'spec', value: 1 }, 'JSON pointer "spec" must be empty or start with "/"'],
    ['a bad escape', { op: 'add', path: '/a~2b', value: 1 }, 'bad escape'],
    ['an unknown op', { op: 'merge', path: '/spec', value: {} }, 'json patch operation 0: unknown op "merge" (expected one of add, remove, replace, move, copy, test)'],
    ['add without a value', { op: 'add', path: '/spec/x' }, 'json patch operation 0: add needs a "value"'],
    ['move without from', { op: 'move', path: '/spec/x' }, 'json patch operation 0: move needs a "from" string'],
    ['a move into its own child', { op: 'move', from: '/spec', path: '/spec/template/x' }, 'cannot move /spec into one of its own children'],
    ['removing the document', { op: 'remove', path: '' }, 'cannot remove the whole document'],
    ['an operation that is not an object', 'add', 'json patch operation 0: must be an object {op, path, ...}'],
  ];
  it.each(failures)('rejects %s, naming the operation', (_what, operation, message) => {
    const error = thrown(() => applyPatch(deployment(), { operations: [operation] }, jsonPatch));
    expect(error).toBeInstanceOf(JsonPatchError);
    expect(error).toBeInstanceOf(PatchError);
    expect(error.message).toContain(message);
    expect((error as JsonPatchError).index).toBe(0);
    expect((error as JsonPatchError).operation).toEqual(operation);
  });

  it('reports the index of the failing operation and changes nothing', () => {
    const base = deepFreeze(deployment());
    const error = thrown(() =>
      applyPatch(base, ops({ op: 'add', path: '/spec/replicas', value: 3 }, { op: 'test', path: '/spec/replicas', value: 4 }), jsonPatch),
    );
    expect((error as JsonPatchError).index).toBe(1);
    expect((error as JsonPatchError).path).toEqual(['spec', 'replicas']);
    expect(error.message).toBe('json patch operation 1 (test /spec/replicas): test failed: the value is 3, not 4');
    expect(base).toEqual(deployment());
  });

  it('rejects a patch that is not {operations: [...]}', () => {
    const error = thrown(() => applyPatch(deployment(), [{ op: 'remove', path: '/spec' }], jsonPatch));
    expect(error).toBeInstanceOf(PatchError);
    expect(error.message).toContain('{operations: [...]}');
  });

  it('decodes JSON pointers as RFC 6901 says', () => {
    expect(parseJsonPointer('')).toEqual([]);
    expect(parseJsonPointer('/')).toEqual(['']);
    expect(parseJsonPointer('/a~1b/m~0n/~01')).toEqual(['a/b', 'm~n', '~1']);
  });
});

describe('purity', () => {
  const cases: [string, JsonValue, PatchMeta | undefined][] = [
    ['merge', { metadata: { labels: { tier: 'web' } }, spec: { replicas: 2 } }, undefined],
    [
      'keyed merge',
      podPatch({ containers: [{ name: 'web', env: [{ name: 'X', value: '1' }] }, { name: 'log', image: 'busybox' }] }),
      keyedContainers,
    ],
    ['retainKeys', { spec: { strategy: { type: 'Recreate' } } }, metaAt(['spec', 'strategy'], { strategy: 'retainKeys' })],
    ['replace', podPatch({ containers: [{ name: 'web', args: ['-v'] }] }), metaAt(CONTAINERS, { patchKey: 'name', items: [{ fields: { args: { strategy: 'replace' } } }] })],
    ['jsonMergePatch', { metadata: { annotations: { 'app.oam.dev/owner': null } } }, { strategy: 'jsonMergePatch' }],
    ['jsonPatch', { operations: [{ op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'x' } }] }, { strategy: 'jsonPatch' }],
  ];

  it.each(cases)('%s: works on frozen inputs, shares nothing with the patch and copies only what it changes of the target', (name, patch, meta) => {
    const base = deepFreeze(deployment());
    const frozenPatch = deepFreeze(structuredClone(patch));
    const frozenMeta = meta === undefined ? undefined : deepFreeze(structuredClone(meta) as unknown as JsonValue) as unknown as PatchMeta;
    const result = applyPatch(base, frozenPatch, frozenMeta);
    expect(result).not.toEqual(base);
    expect(base).toEqual(deployment());
    expect(frozenPatch).toEqual(patch);

    const containers = (value: JsonValue, into = new Set<object>()): Set<object> => {
      if (value !== null && typeof value === 'object') {
        into.add(value);
        Object.values(value).forEach((v) => containers(v, into));
      }
      return into;
    };
    const fromBase = containers(base);
    const fromPatch = containers(frozenPatch);
    for (const value of containers(result)) {
      // Nothing of the patch is taken over; what is taken over from the target is shared whole (it is unchanged).
      expect(fromPatch.has(value)).toBe(false);
      if (Object.isFrozen(value)) expect(fromBase.has(value)).toBe(true);
    }
    // A patch of the workload's metadata copies the metadata, not the pod template.
    const spec = (o: JsonValue) => (o as { spec: { template: JsonValue } }).spec.template;
    if (name === 'merge') expect(spec(result)).toBe(spec(base));
  });
});

describe('formatPatchPath', () => {
  it('prints keys, indices and quoted keys', () => {
    expect(formatPatchPath(['spec', 'template', 'spec', 'containers', '0', 'env', 1, 'value'])).toBe('spec.template.spec.containers[0].env[1].value');
    expect(formatPatchPath(['metadata', 'annotations', 'app.oam.dev/owner'])).toBe('metadata.annotations["app.oam.dev/owner"]');
    expect(formatPatchPath([])).toBe('(the workload)');
  });
});
