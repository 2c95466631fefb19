/**
 * `observe`: a template reads live objects. Pass 1 collects the queries of
 * the templates that declare it (pure), the pipeline answers them (here a
 * recording observer stands in for the cluster; test/canary runs the real
 * one), pass 2 renders with `context.observed` filled.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadApp } from '../../src/pipeline/load-app.js';
import { renderObserving, type Observer } from '../../src/pipeline/observe.js';
import { appObserves, planObservation, renderApp, type ObjectQuery, type QueryAnswer } from '../../src/render/index.js';
import { formatPos } from '../../src/source/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vela-observe-'));
const defs = join(dir, 'defs');
mkdirSync(defs);
const def = (name: string, lines: string[]) => writeFileSync(join(defs, `${name}.cue`), [...lines, ''].join('\n'));

// A component that keeps the value its ConfigMap had in the cluster, and says whether a cluster was read.
def('keeper', [
  'keeper: {type: "component", description: "a ConfigMap that remembers", attributes: workload: type: "configmaps"}',
  'template: {',
  '\tobserve: previous: {apiVersion: "v1", kind: "ConfigMap", name: context.name}',
  '\t_kept: *parameter.value | string',
  '\tif context.observed.previous != _|_ {',
  '\t\t_kept: context.observed.previous.data.value',
  '\t}',
  '\toutput: {apiVersion: "v1", kind: "ConfigMap", metadata: name: context.name, data: {value: _kept, connected: "\\(context.clusterConnected)", asked: parameter.value}}',
  '\tparameter: value: string',
  '}',
]);
// A trait that counts the pods with its service's labels, only when asked to (observe inside an `if`).
def('counter', [
  'import "strings"',
  'counter: {type: "trait", description: "counts pods", attributes: appliesToWorkloads: ["*"]}',
  'template: {',
  '\tif parameter.count {',
  '\t\tobserve: {',
  '\t\t\tpods: {apiVersion: "v1", kind: "Pod", labelSelector: {tier: "web", "app.oam.dev/component": context.name}}',
  '\t\t\tsame: {apiVersion: "v1", kind: "ConfigMap", name: context.name}',
  '\t\t}',
  '\t}',
  '\t_names: [if context.observed.pods != _|_ for p in context.observed.pods {p.metadata.name}]',
  '\tpatch: metadata: annotations: {pods: "\\(len(_names))", names: strings.Join(_names, ","), "same-has-status": "\\(context.observed.same.status != _|_)"}',
  '\tparameter: count: *true | bool',
  '}',
]);
def('plain', [
  'plain: {type: "component", description: "no observe", attributes: workload: type: "configmaps"}',
  'template: {',
  '\toutput: {apiVersion: "v1", kind: "ConfigMap", metadata: name: context.name, data: connected: "\\(context.clusterConnected)"}',
  '\tparameter: {}',
  '}',
]);
// observe from the workload: not known in pass 1.
def('late', [
  'late: {type: "trait", description: "observes too late", attributes: appliesToWorkloads: ["*"]}',
  'template: {',
  '\tobserve: owner: {apiVersion: "v1", kind: "ConfigMap", name: context.output.metadata.name + "-owner"}',
  '\tparameter: {}',
  '}',
]);
def('twoways', [
  'twoways: {type: "trait", description: "a query with name and labels", attributes: appliesToWorkloads: ["*"]}',
  'template: {',
  '\tobserve: both: {apiVersion: "v1", kind: "ConfigMap", name: "x", labelSelector: a: "b"}',
  '\tparameter: {}',
  '}',
]);

async function load(name: string, appfile: string) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, appfile);
  const { app, loaded } = await loadApp({ cwd: dir, file, definitionDirs: [defs], velaHome: join(dir, 'home') });
  return { app, registry: loaded.registry };
}

/** Stands in for the cluster: answers from `objects`, recording each call. */
function fakeCluster(objects: Record<string, QueryAnswer>): { observer: Observer; calls: ObjectQuery[][] } {
  const calls: ObjectQuery[][] = [];
  const observer: Observer = async (queries) => {
    calls.push([...queries]);
    return queries.map((q) => objects[`${q.kind}/${q.namespace}/${'name' in q ? q.name : JSON.stringify(q.labelSelector)}`]);
  };
  return { observer, calls };
}

const data = (r: Awaited<ReturnType<typeof renderObserving>>, kind = 'ConfigMap') => (r.app!.manifests.find((m) => m.object.kind === kind)!.object as { data: Record<string, string> }).data;
const annotations = (r: Awaited<ReturnType<typeof renderObserving>>) => (r.app!.manifests[0]!.object as { metadata: { annotations: Record<string, string> } }).metadata.annotations;

const KEEPER = 'name: obs\nnamespace: shop\nservices:\n  settings:\n    type: keeper\n    value: new\n    counter:\n      count: true\n';

describe('observe: pass 1 collects the queries', () => {
  it('of the templates that declare observe, with the namespace defaulted and identical queries asked once', async () => {
    const { app, registry } = await load('plan', `${KEEPER}  other:\n    type: keeper\n    value: x\n    counter: {}\n  quiet:\n    type: plain\n`);
    expect(appObserves(app, registry)).toBe(true);
    const { plan, diagnostics } = planObservation(app, registry);
    expect(diagnostics).toEqual([]);
    expect(plan.queries).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'settings' },
      // The selector's labels in order, so one selector written two ways is one query.
      { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', labelSelector: { 'app.oam.dev/component': 'settings', tier: 'web' } },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'other' },
      { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', labelSelector: { 'app.oam.dev/component': 'other', tier: 'web' } },
    ]);
    // The keeper component and the counter trait both read ConfigMap settings: one query, two names.
    expect([...plan.templates.get('settings')!]).toEqual([['previous', 0]]);
    expect([...plan.templates.get('settings\u0000counter')!]).toEqual([
      ['pods', 1],
      ['same', 0],
    ]);
  });

  it('none for an app whose templates declare no observe, nor for an observe left out by its `if`', async () => {
    const plain = await load('plain', 'name: obs\nservices:\n  quiet:\n    type: plain\n');
    expect(appObserves(plain.app, plain.registry)).toBe(false);
    const off = await load('off', 'name: obs\nservices:\n  quiet:\n    type: plain\n    counter:\n      count: false\n');
    expect(appObserves(off.app, off.registry)).toBe(true);
    expect(planObservation(off.app, off.registry).plan.queries).toEqual([]);
  });

  it('refuses an observe computed from what rendering makes, and a query that is not one, at the trait section', async () => {
    const { app, registry } = await load('late', 'name: obs\nservices:\n  quiet:\n    type: plain\n    late: {}\n    twoways: {}\n');
    const { diagnostics } = planObservation(app, registry);
    expect(diagnostics.map((d) => [formatPos(d.span!), d.path, d.code])).toEqual([
      ['late.yaml:5:5', 'services.quiet.late', 'render/observe'],
      ['late.yaml:6:5', 'services.quiet.twoways', 'render/observe'],
    ]);
    expect(diagnostics[0]!.message).toMatch(/^trait late: observe\.owner\.name: /);
    expect(diagnostics[0]!.hint).toMatch(/from `parameter` and `context` alone/);
    expect(diagnostics[1]!.message).toBe('trait twoways: observe.both: give either name or labelSelector');
  });
});

describe('observe: pass 2 renders with context.observed', () => {
  it('fills the live objects, without status and managedFields; label queries as lists in name order', async () => {
    const { app, registry } = await load('live', KEEPER);
    const cluster = fakeCluster({
      'ConfigMap/shop/settings': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', managedFields: [{ manager: 'vela' }] }, data: { value: 'old' }, status: { x: 1 } },
      'Pod/shop/{"app.oam.dev/component":"settings","tier":"web"}': [
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'settings-b', namespace: 'shop' } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'settings-a', namespace: 'shop' } },
      ],
    });
    const r = await renderObserving(app, registry, {}, cluster.observer);
    expect(r.diagnostics).toEqual([]);
    expect(data(r)).toEqual({ value: 'old', connected: 'true', asked: 'new' });
    expect(annotations(r)).toMatchObject({ pods: '2', names: 'settings-a,settings-b', 'same-has-status': 'false' });
    // One read of the cluster, for the distinct queries.
    expect(cluster.calls).toHaveLength(1);
    expect(cluster.calls[0]).toHaveLength(2);
  });

  it('leaves out what is not found: the template acts as on a first deploy', async () => {
    const { app, registry } = await load('missing', KEEPER);
    const cluster = fakeCluster({ 'Pod/shop/{"app.oam.dev/component":"settings","tier":"web"}': [] });
    const r = await renderObserving(app, registry, {}, cluster.observer);
    expect(data(r)).toEqual({ value: 'new', connected: 'true', asked: 'new' });
    expect(annotations(r)).toMatchObject({ pods: '0' });
  });

  it('without a cluster: nothing is read, context.observed is empty and context.clusterConnected false', async () => {
    const { app, registry } = await load('offline', KEEPER);
    const r = await renderObserving(app, registry, {}, undefined);
    expect(data(r)).toEqual({ value: 'new', connected: 'false', asked: 'new' });
    expect(annotations(r)).toMatchObject({ pods: '0', names: '' });
    // Rendering without the pipeline is the same as rendering without a cluster.
    expect(renderApp(app, registry).app!.manifests.map((m) => m.object)).toEqual(r.app!.manifests.map((m) => m.object));
  });

  it('takes one pass and asks nothing when no template observes; clusterConnected still says there is a cluster', async () => {
    const { app, registry } = await load('one-pass', 'name: obs\nservices:\n  quiet:\n    type: plain\n');
    const cluster = fakeCluster({});
    const r = await renderObserving(app, registry, {}, cluster.observer);
    expect(cluster.calls).toEqual([]);
    expect(data(r)).toEqual({ connected: 'true' });
  });

  it('stops before reading the cluster when pass 1 fails', async () => {
    const { app, registry } = await load('late-up', 'name: obs\nservices:\n  quiet:\n    type: keeper\n    value: v\n    late: {}\n');
    const cluster = fakeCluster({});
    const r = await renderObserving(app, registry, {}, cluster.observer);
    expect(r.app).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['render/observe']);
    expect(cluster.calls).toEqual([]);
  });
});
