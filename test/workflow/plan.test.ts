/**
 * The delivery planner: every rule (KubeVela's default steps, topology by name,
 * by labels, namespaces, overrides per step, apply-component, step groups) and
 * every error, each at its line, on Appfiles and Applications resolved against
 * the hand-built definitions of test/appfile/registry.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseApplication, type AppModel } from '../../src/appfile/index.js';
import { resolveAppModel } from '../../src/appfile/index.js';
import { SourceFile } from '../../src/source/index.js';
import { planDelivery, type DeliveryPlan, type KnownCluster, type PlannedStep } from '../../src/workflow/index.js';
import { parse, show, yaml } from '../appfile/helpers.js';
import { makeRegistry } from '../appfile/registry.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/multicluster');
const registry = makeRegistry();
const clusters: KnownCluster[] = [
  { name: 'staging', labels: { env: 'staging' } },
  { name: 'prod-eu', labels: { env: 'prod', provider: 'aws', region: 'eu' } },
  { name: 'prod-us', labels: { env: 'prod', provider: 'aws', region: 'us' } },
  { name: 'onprem', labels: { env: 'prod', provider: 'metal' } },
];

function appOf(text: string, name = 'vela.yaml'): AppModel {
  const r = parse(text, { name });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.app) throw new Error(`the test's Appfile is wrong:\n${errors.map(show).join('\n')}`);
  return r.app;
}

function plan(text: string, known = clusters) {
  const r = planDelivery({ app: appOf(text), registry, clusters: known });
  return { plan: r.plan, lines: r.diagnostics.map((d) => `${d.severity} ${show(d)}`) };
}

function planned(text: string, known = clusters): DeliveryPlan {
  const r = plan(text, known);
  if (!r.plan) throw new Error(`no plan:\n${r.lines.join('\n')}`);
  return r.plan;
}

/** step → [cluster/namespace, ...] */
function targets(p: DeliveryPlan): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const walk = (steps: readonly PlannedStep[]) => {
    for (const s of steps) {
      if (s.kind === 'deploy' || s.kind === 'apply-component') out[s.name] = s.targets.map((t) => `${t.target.cluster}/${t.target.namespace ?? '-'}`);
      if (s.kind === 'step-group') walk(s.subSteps);
    }
  };
  walk(p.steps);
  return out;
}

const services = ['name: shop', 'namespace: shop', 'services:', '  web:', '    image: web:1', '    scaler: {replicas: 1}', '  api:', '    type: worker', '    image: api:1'];
const appfile = (...rest: string[]) => yaml(...services, ...rest);

describe('without a workflow (KubeVela default steps)', () => {
  it('delivers to the local cluster in the app namespace when there is no topology', () => {
    const p = planned(appfile());
    expect(p.generated).toBe(true);
    expect(p.steps.map((s) => [s.name, s.kind])).toEqual([['deploy', 'deploy']]);
    expect(targets(p)).toEqual({ deploy: ['local/shop'] });
    expect(p.clusters).toEqual(['local']);
  });

  it('has one deploy step per topology, each with every override policy', () => {
    const p = planned(
      appfile(
        'policies:',
        '  - {name: eu, type: topology, properties: {clusters: [prod-eu], namespace: shop-eu}}',
        '  - {name: big, type: override, properties: {components: [{name: web, traits: [{type: scaler, properties: {replicas: 5}}]}]}}',
        '  - {name: us, type: topology, properties: {clusters: [prod-us]}}',
      ),
    );
    expect(p.steps.map((s) => s.name)).toEqual(['deploy-eu', 'deploy-us']);
    expect(targets(p)).toEqual({ 'deploy-eu': ['prod-eu/shop-eu'], 'deploy-us': ['prod-us/shop'] });
    for (const s of p.steps) {
      if (s.kind !== 'deploy') throw new Error('a deploy step');
      expect(s.policies.slice(0, 1)).toEqual(['big']);
      expect(s.targets[0]!.app.services[0]!.traits[0]!.properties).toEqual({ replicas: 5 });
    }
  });
});

describe('topology', () => {
  it('selects clusters by name, joins topologies, and keeps each cluster and namespace once', () => {
    const p = planned(
      appfile(
        'policies:',
        '  - {name: a, type: topology, properties: {clusters: [prod-eu, staging, prod-eu]}}',
        '  - {name: b, type: topology, properties: {clusters: [staging], namespace: other}}',
        'workflow:',
        '  steps: [{name: go, type: deploy, properties: {policies: [a, b]}}]',
      ),
    );
    expect(targets(p)).toEqual({ go: ['prod-eu/shop', 'staging/shop', 'staging/other'] });
  });

  it('selects clusters by labels (all of them must match), in name order', () => {
    const p = planned(appfile('policies:', '  - {name: aws, type: topology, properties: {clusterLabelSelector: {provider: aws}}}', '  - {name: eu, type: topology, properties: {clusterLabelSelector: {provider: aws, region: eu}}}'));
    expect(targets(p)).toEqual({ 'deploy-aws': ['prod-eu/shop', 'prod-us/shop'], 'deploy-eu': ['prod-eu/shop'] });
  });

  it('prefers clusters over a selector given with them, and says so', () => {
    const r = plan(appfile('policies:', '  - {name: a, type: topology, properties: {clusters: [staging], clusterLabelSelector: {provider: aws}}}'));
    expect(targets(r.plan!)).toEqual({ 'deploy-a': ['staging/shop'] });
    expect(r.lines).toEqual(['warning vela.yaml:11:87: policy a: clusterLabelSelector is not used when clusters are given [give one of the two]']);
  });

  it('delivers to local when a topology names no cluster, and to nowhere when an allowEmpty selector matches none', () => {
    const p = planned(appfile('policies:', '  - {name: here, type: topology, properties: {namespace: elsewhere}}', '  - {name: gcp, type: topology, properties: {clusterLabelSelector: {provider: gcp}, allowEmpty: true}}'));
    expect(targets(p)).toEqual({ 'deploy-here': ['local/elsewhere'], 'deploy-gcp': [] });
  });

  it('knows `local` without it being registered', () => {
    expect(targets(planned(appfile('policies:', '  - {name: l, type: topology, properties: {clusters: [local]}}'), []))).toEqual({ 'deploy-l': ['local/shop'] });
  });

  it('leaves the namespace to the cluster when neither the app nor the topology gives one', () => {
    const text = yaml('name: shop', 'services:', '  web: {image: web:1}', 'policies:', '  - {name: eu, type: topology, properties: {clusters: [prod-eu]}}');
    const p = planned(text);
    expect(targets(p)).toEqual({ 'deploy-eu': ['prod-eu/-'] });
    expect((p.steps[0] as Extract<PlannedStep, { kind: 'deploy' }>).targets[0]!.app.namespace).toBeUndefined();
  });

  it('refuses an unknown cluster, at its line, with a suggestion', () => {
    const r = plan(appfile('policies:', '  - name: eu', '    type: topology', '    properties:', '      clusters: [prod-eu, prod-ue, moon]'));
    expect(r.plan).toBeUndefined();
    expect(r.lines).toEqual([
      'error vela.yaml:14:27: policy eu: unknown cluster "prod-ue" [did you mean `prod-us`?]',
      'error vela.yaml:14:36: policy eu: unknown cluster "moon" [known clusters: local, onprem, prod-eu, prod-us, staging; join one with `vela cluster join KUBECONFIG --name moon`]',
    ]);
  });

  it('refuses a selector that matches no cluster, unless allowEmpty', () => {
    const r = plan(appfile('policies:', '  - name: gcp', '    type: topology', '    properties:', '      clusterLabelSelector: {provider: gcp, region: eu}'));
    expect(r.plan).toBeUndefined();
    expect(r.lines).toEqual([
      'error vela.yaml:14:29: policy gcp: no cluster matches the labels provider=gcp,region=eu [label a cluster with `vela cluster labels add NAME k=v`, or set `allowEmpty: true` to deliver nowhere]',
    ]);
  });
});

describe('override policies per deploy step', () => {
  const text = appfile(
    'policies:',
    '  - {name: eu, type: topology, properties: {clusters: [prod-eu]}}',
    '  - name: prod',
    '    type: override',
    '    properties:',
    '      components:',
    '        - name: web', // 16
    '          properties: {image: web:2}',
    '          traits:',
    '            - {type: scaler, properties: {replicas: 4}}',
    '            - {type: labels, properties: {tier: front}}',
    '        - type: worker',
    '          properties: {cmd: [run]}',
    'workflow:',
    '  steps:',
    '    - {name: plain, type: deploy, properties: {policies: [eu]}}',
    '    - {name: tuned, type: deploy, properties: {policies: [eu, prod]}}',
  );

  it('applies only the overrides a step names: properties merged, traits changed and added, by name and by type', () => {
    const p = planned(text);
    const [plain, tuned] = p.steps as Extract<PlannedStep, { kind: 'deploy' }>[];
    const web = (s: typeof plain) => s!.targets[0]!.app.services.find((x) => x.name === 'web')!;
    const api = (s: typeof plain) => s!.targets[0]!.app.services.find((x) => x.name === 'api')!;
    expect([web(plain).params, web(plain).traits.map((t) => [t.name, t.properties])]).toEqual([{ image: 'web:1' }, [['scaler', { replicas: 1 }]]]);
    expect(web(tuned).params).toEqual({ image: 'web:2' });
    expect(web(tuned).image).toBe('web:2');
    expect(web(tuned).traits.map((t) => [t.name, t.properties])).toEqual([
      ['scaler', { replicas: 4 }],
      ['labels', { tier: 'front' }],
    ]);
    expect(api(tuned).params).toEqual({ image: 'api:1', cmd: ['run'] });
    expect(api(plain).params).toEqual({ image: 'api:1' });
  });

  it('removes a disabled trait, deletes a property set to null, and keeps only the selector components', () => {
    const p = planned(
      appfile(
        'policies:',
        '  - {name: slim, type: override, properties: {selector: [web], components: [{name: web, properties: {image: null}, traits: [{type: scaler, disable: true}]}]}}',
        '  - {name: back, type: override, properties: {components: [{name: "w*", properties: {image: web:3}}]}}',
      ),
    );
    const app = (p.steps[0] as Extract<PlannedStep, { kind: 'deploy' }>).targets[0]!.app;
    expect(app.services.map((s) => [s.name, s.params, s.traits.length])).toEqual([['web', { image: 'web:3' }, 0]]);
  });

  it('points an error in a value an override sets at the override (found already when the Appfile is read)', () => {
    const r = parse(
      appfile(
        'policies:',
        '  - name: bad',
        '    type: override',
        '    properties:',
        '      components:',
        '        - name: web',
        '          properties: {port: eighty}', // 16
        '          traits: [{type: scaler, properties: {replicas: -1}}, {type: nosuch}]', // 17
      ),
    );
    expect(r.diagnostics.map((d) => `${d.severity} ${show(d)}`)).toEqual([
      'error vela.yaml:16:30: services.web.port: must be integer (got "eighty")',
      'error vela.yaml:17:58: services.web.scaler.replicas: must be >= 0 (got -1)',
      'error vela.yaml:17:71: policies: unknown trait "nosuch" [available: scaler, gateway, sidecar, labels, env]',
    ]);
  });

  it('refuses a step whose own overrides leave a component invalid, at the component', () => {
    // Valid with every override (how one cluster gets it), but the step without `img` delivers no image.
    const text = [
      'apiVersion: core.oam.dev/v1beta1',
      'kind: Application',
      'metadata: {name: shop}',
      'spec:',
      '  components:',
      '    - {name: web, type: webservice, properties: {port: 80}}', // 6
      '  policies:',
      '    - {name: img, type: override, properties: {components: [{name: web, properties: {image: web:1}}]}}',
      '  workflow:',
      '    steps:',
      '      - {name: bare, type: deploy}',
      '      - {name: full, type: deploy, properties: {policies: [img]}}',
      '',
    ].join('\n');
    const resolved = resolveAppModel(parseApplication(new SourceFile('app.yaml', text), { dir: '/app' }), registry);
    expect(resolved.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const r = planDelivery({ app: resolved.app!, registry, clusters });
    expect(r.plan).toBeUndefined();
    expect(r.diagnostics.map((d) => `${d.severity} ${show(d)}`)).toEqual(['error app.yaml:6:37: services.web: missing required property "image"']);
  });

  it('refuses an override naming an unknown component; a pattern or type matching nothing is a warning', () => {
    const r = plan(appfile('policies:', '  - name: o', '    type: override', '    properties:', '      components: [{name: wbe, properties: {image: x}}, {name: "db-*"}, {type: task}]'));
    expect(r.plan).toBeUndefined();
    expect(r.lines).toEqual([
      'error vela.yaml:14:27: the override names an unknown component "wbe" [did you mean `web`?]',
      'warning vela.yaml:14:57: this override matches no component',
      'warning vela.yaml:14:73: this override matches no component',
    ]);
  });

  it('says when an override names a component of another type, instead of replacing it', () => {
    const r = plan(appfile('policies:', '  - {name: o, type: override, properties: {components: [{name: web, type: worker}]}}'));
    expect(r.lines).toEqual(['error vela.yaml:11:75: component "web" is of type "webservice", not "worker" [remove `type`, or write `type: webservice`]']);
  });
});

describe('workflow steps', () => {
  it('refuses a step naming an unknown policy, at its line', () => {
    const r = plan(appfile('policies:', '  - {name: eu, type: topology, properties: {clusters: [prod-eu]}}', 'workflow:', '  steps:', '    - name: go', '      type: deploy', '      properties: {policies: [ue, nothere]}'));
    expect(r.plan).toBeUndefined();
    expect(r.lines).toEqual([
      'warning vela.yaml:11:12: policy eu: policy "eu" is used by no deploy step [add it to a deploy step\'s policies, e.g. `policies: [eu]`]',
      'error vela.yaml:16:31: workflow.go.properties.policies: unknown policy "ue" [policies: eu]',
      'error vela.yaml:16:35: workflow.go.properties.policies: unknown policy "nothere" [policies: eu]',
    ]);
  });

  it('warns about topology and override policies no step uses, and about policy types vela does not run', () => {
    const r = plan(
      appfile(
        'policies:',
        '  - {name: eu, type: topology, properties: {clusters: [prod-eu]}}',
        '  - {name: unused, type: topology, properties: {clusters: [staging]}}',
        '  - {name: copies, type: replication, properties: {keys: [a]}}',
        'workflow:',
        '  steps: [{name: go, type: deploy, properties: {policies: [eu]}}]',
      ),
    );
    expect(r.lines).toEqual([
      'warning vela.yaml:12:12: policy unused: policy "unused" is used by no deploy step [add it to a deploy step\'s policies, e.g. `policies: [unused]`]',
      'warning vela.yaml:13:26: policy copies: policy type "replication" is not supported by vela; ignored',
    ]);
  });

  it('plans suspend, apply-component, notification and a step group with its sub-steps', () => {
    const p = planned(
      appfile(
        'policies:',
        '  - {name: eu, type: topology, properties: {clusters: [prod-eu]}}',
        'workflow:',
        '  steps:',
        '    - {name: api-first, type: apply-component, properties: {component: api, cluster: staging}}',
        '    - {name: wait, type: suspend, timeout: 1h, properties: {duration: 90s, message: bake}}',
        '    - name: both',
        '      type: step-group',
        '      subSteps:',
        '        - {name: eu, type: deploy, properties: {policies: [eu], parallelism: 2}}',
        '        - {name: ping, type: notification, dependsOn: [eu], if: status.eu.failed, properties: {slack: {url: {value: "http://127.0.0.1:1/hook"}, message: {text: failed}}}}',
      ),
    );
    expect(p.generated).toBe(false);
    expect(targets(p)).toEqual({ 'api-first': ['staging/shop'], eu: ['prod-eu/shop'] });
    const [first, wait, group] = p.steps;
    expect(first).toMatchObject({ kind: 'apply-component', component: 'api' });
    expect((first as Extract<PlannedStep, { kind: 'apply-component' }>).targets[0].app.services.map((s) => s.name)).toEqual(['api']);
    expect(wait).toMatchObject({ kind: 'suspend', durationMs: 90_000, message: 'bake', timeoutMs: 3_600_000 });
    expect(group).toMatchObject({ kind: 'step-group', subSteps: [{ kind: 'deploy', parallelism: 2 }, { kind: 'notification', dependsOn: ['eu'], if: 'status.eu.failed' }] });
    expect(p.clusters).toEqual(['staging', 'prod-eu']);
  });

  it('refuses apply-component naming an unknown component or cluster', () => {
    const r = plan(appfile('workflow:', '  steps:', '    - {name: one, type: apply-component, properties: {component: wbe, cluster: mars}}'));
    expect(r.lines).toEqual([
      'error vela.yaml:12:66: unknown component "wbe" [did you mean `web`?]',
      'error vela.yaml:12:80: unknown cluster "mars" [known clusters: local, onprem, prod-eu, prod-us, staging]',
    ]);
  });

  it('refuses a cycle in dependsOn, once, with the whole loop', () => {
    const r = plan(
      appfile(
        'workflow:',
        '  mode: {steps: DAG}',
        '  steps:',
        '    - {name: a, type: suspend, dependsOn: [c]}', // 13
        '    - {name: b, type: suspend, dependsOn: [a]}', // 14
        '    - {name: c, type: suspend, dependsOn: [b]}', // 15
      ),
    );
    expect(r.plan).toBeUndefined();
    expect(r.lines).toEqual(['error vela.yaml:14:44: workflow.b.dependsOn: dependency cycle: a -> c -> b -> a [remove one of these dependsOn entries]']);
  });

  it('refuses dependsOn on an unknown step, on itself, and on a later step in StepByStep mode', () => {
    const r = plan(appfile('workflow:', '  steps:', '    - {name: a, type: suspend, dependsOn: [b, a, zz]}', '    - {name: b, type: suspend}'));
    expect(r.lines).toEqual([
      'error vela.yaml:12:44: workflow.a.dependsOn: step "a" depends on "b", which comes after it [steps run in order: move it before, or set `mode: {steps: DAG}` to run by dependencies]',
      'error vela.yaml:12:47: workflow.a.dependsOn: step "a" cannot depend on itself',
      'error vela.yaml:12:50: workflow.a.dependsOn: unknown step "zz" [steps here: a, b]',
    ]);
  });

  it('refuses what KubeVela runs but vela does not: another step type, a workflow by ref, email', () => {
    const r = plan(appfile('workflow:', '  ref: shared', '  steps:', '    - {name: hook, type: webhok, properties: {url: {value: x}}}', '    - {name: mail, type: notification, properties: {email: {from: {address: a}}}}'));
    expect(r.plan).toBeUndefined();
    expect(r.lines).toEqual([
      'error vela.yaml:11:8: a workflow by reference (`ref`) needs the KubeVela controller [write the steps inline under `steps:`]',
      'error vela.yaml:13:26: unknown workflow step type "webhok" [vela runs the step types deploy, apply-component, suspend, step-group, notification]',
      'error vela.yaml:14:53: vela does not send email notifications [use a webhook channel: slack, dingding or lark]',
    ]);
  });

  it('checks each `if` as CUE over the steps’ status', () => {
    const r = plan(
      appfile(
        'workflow:',
        '  steps:',
        '    - {name: a, type: suspend}',
        '    - name: b',
        '      type: suspend',
        "      if: 'status.a.failed || status[\"a\"].phase == \"skipped\"'",
        '    - {name: c, type: suspend, if: always}',
        '    - {name: d, type: suspend, if: status.nosuch.failed}', // 17
        '    - {name: e, type: suspend, if: status.a.phase}', //        18
      ),
    );
    expect(r.lines).toEqual([
      'error vela.yaml:17:36: if: undefined field: nosuch [`always`, or a CUE expression over status, e.g. `status.a.succeeded` (steps: a, b, c, d, e)]',
      'error vela.yaml:18:36: if: the expression gives "succeeded", not true or false [`always`, or a CUE expression over status, e.g. `status.a.succeeded` (steps: a, b, c, d, e)]',
    ]);
  });
});

describe('resource policies', () => {
  it('become the plan’s delivery options', () => {
    const p = planned(
      appfile(
        'policies:',
        '  - {name: gc, type: garbage-collect, properties: {keepLegacyResource: true, rules: [{selector: {traitTypes: [gateway]}, strategy: never}]}}',
        '  - {name: once, type: apply-once, properties: {enable: false, rules: [{selector: {componentNames: [web]}, strategy: {path: [spec.replicas]}}]}}',
        '  - {name: shared, type: shared-resource, properties: {rules: [{selector: {resourceTypes: [ConfigMap]}}]}}',
        '  - {name: ro, type: read-only, properties: {rules: [{selector: {resourceNames: [settings]}}]}}',
        '  - {name: take, type: take-over, properties: {rules: [{selector: {componentTypes: [worker]}}]}}',
      ),
    );
    expect(p.options).toMatchObject({
      garbageCollect: { keepLegacyResource: true, continueOnFailure: false, rules: [{ selector: { traitTypes: ['gateway'] }, strategy: 'never' }] },
      applyOnce: { enable: false, rules: [{ selector: { componentNames: ['web'] }, paths: ['spec.replicas'] }] },
      sharedResource: [{ resourceTypes: ['ConfigMap'] }],
      readOnly: [{ resourceNames: ['settings'] }],
      takeOver: [{ componentTypes: ['worker'] }],
    });
  });
});

describe('the issue’s app, as an Application and as an Appfile', () => {
  const known: KnownCluster[] = [
    { name: 'staging', labels: { provider: 'onprem' } },
    { name: 'aws-1', labels: { provider: 'aws' } },
    { name: 'aws-2', labels: { provider: 'aws' } },
  ];
  const summary = (p: DeliveryPlan) =>
    p.steps.map((s) => ({
      name: s.name,
      approval: s.kind === 'deploy' && s.approval,
      targets: s.kind === 'deploy' ? s.targets.map((t) => [t.target.cluster, t.target.namespace, t.app.services.find((x) => x.name === 'web')!.traits[0]!.properties]) : [],
    }));
  const expected = [
    { name: 'deploy-staging', approval: false, targets: [['staging', 'portal-staging', { replicas: 1 }]] },
    {
      name: 'deploy-aws',
      approval: true,
      targets: [
        ['aws-1', 'portal', { replicas: 3 }],
        ['aws-2', 'portal', { replicas: 3 }],
      ],
    },
  ];

  it('plans the Application', () => {
    const text = readFileSync(join(FIXTURES, 'application.yaml'), 'utf8');
    const r = resolveAppModel(parseApplication(new SourceFile('application.yaml', text), { dir: FIXTURES }), registry);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const p = planDelivery({ app: r.app!, registry, clusters: known });
    expect(p.diagnostics).toEqual([]);
    expect(summary(p.plan!)).toEqual(expected);
  });

  it('plans the Appfile the same way', () => {
    const p = planned(readFileSync(join(FIXTURES, 'vela.yaml'), 'utf8'), known);
    expect(summary(p)).toEqual(expected);
  });
});
