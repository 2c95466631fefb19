/**
 * `policies:` and `workflow:` read into typed values, in an Appfile (top level)
 * and an Application (spec): each policy type and step type with KubeVela's
 * field names, and every shape error at its line.
 */
import { describe, expect, it } from 'vitest';
import { parseAppfile, parseApplication, type Policy, type Workflow } from '../../src/appfile/index.js';
import { formatPos, SourceFile, type Span } from '../../src/source/index.js';
import { parse, show, yaml } from './helpers.js';

const head = ['name: shop', 'services:', '  web: {image: web:1}'];
const read = (...rest: string[]) => {
  const r = parseAppfile(new SourceFile('vela.yaml', yaml(...head, ...rest)), { dir: '/shop' });
  return { delivery: r.raw?.delivery, lines: r.diagnostics.map((d) => `${d.severity} ${show(d)}`) };
};
const policies = (...rest: string[]): readonly Policy[] => {
  const r = read('policies:', ...rest);
  expect(r.lines).toEqual([]);
  return r.delivery!.policies;
};
const workflow = (...rest: string[]): Workflow => {
  const r = read('workflow:', ...rest);
  expect(r.lines).toEqual([]);
  return r.delivery!.workflow!;
};

describe('policies', () => {
  it('reads topology, override and the resource policies with their positions', () => {
    const p = policies(
      '  - {name: eu, type: topology, properties: {clusters: [a, b], namespace: shop-eu}}',
      '  - {name: aws, type: topology, properties: {clusterLabelSelector: {provider: aws, tier: 1}, allowEmpty: true}}',
      '  - name: o',
      '    type: override',
      '    properties:',
      '      selector: [web]',
      '      components:',
      '        - {name: web, type: webservice, properties: {image: x}, traits: [{type: scaler, properties: {replicas: 2}}, {type: labels, disable: true}]}',
      '  - {name: gc, type: garbage-collect, properties: {keepLegacyResource: true, rules: [{selector: {componentNames: [web]}, strategy: onAppDelete, propagation: orphan}]}}',
      '  - {name: once, type: apply-once, properties: {enable: true, rules: [{strategy: {path: ["*"]}}]}}',
      '  - {name: sr, type: shared-resource, properties: {rules: [{selector: {oamTypes: [TRAIT]}}]}}',
      '  - {name: other, type: replication, properties: {keys: [x]}}',
    );
    expect(p.map((x) => [x.name, x.kind])).toEqual([
      ['eu', 'topology'],
      ['aws', 'topology'],
      ['o', 'override'],
      ['gc', 'garbage-collect'],
      ['once', 'apply-once'],
      ['sr', 'shared-resource'],
      ['other', 'other'],
    ]);
    const [eu, aws, o, gc, once, sr, other] = p;
    expect(eu).toMatchObject({ clusters: [{ value: 'a' }, { value: 'b' }], namespace: { value: 'shop-eu' }, allowEmpty: false });
    expect(formatPos((eu as Extract<Policy, { kind: 'topology' }>).clusters![1]!.span)).toBe('vela.yaml:5:59');
    expect(aws).toMatchObject({ clusterLabelSelector: { value: { provider: 'aws', tier: '1' } }, allowEmpty: true });
    expect(o).toMatchObject({
      selector: [{ value: 'web' }],
      components: [{ name: { value: 'web' }, type: { value: 'webservice' }, properties: { image: 'x' }, traits: [{ type: { value: 'scaler' }, properties: { replicas: 2 }, disable: false }, { type: { value: 'labels' }, disable: true }] }],
    });
    expect(gc).toMatchObject({ keepLegacyResource: true, continueOnFailure: false, rules: [{ selector: { componentNames: ['web'] }, strategy: 'onAppDelete', propagation: 'orphan' }] });
    expect(once).toMatchObject({ enable: true, rules: [{ paths: ['*'] }] });
    expect(sr).toMatchObject({ rules: [{ selector: { oamTypes: ['TRAIT'] } }] });
    expect(other).toMatchObject({ type: 'replication', properties: { keys: ['x'] } });
  });

  it('reports every shape error at its line', () => {
    expect(
      read(
        'policies:',
        '  - {type: topology, properties: {clusters: a, namespace: Bad_NS, zone: x}}', // 5
        '  - {name: o, type: override, properties: {components: [{nme: web}, {name: web, traits: [{properties: {}}]}]}}', // 6
        '  - {name: o, type: garbage-collect, properties: {rules: [{strategy: sometimes}]}}', // 7
        '  - {name: r, type: read-only, properties: {rules: [{selector: {oamTypes: [WORKLOAD]}}]}}', // 8
        '  - {name: x, type: override, properties: {}}', // 9
        '  - {name: y}', // 10
      ).lines,
    ).toEqual([
      'error vela.yaml:5:5: policies[0]: missing required key "name" [every policy needs a name, for deploy steps to refer to it]',
      'error vela.yaml:5:45: policies[0].properties.clusters: clusters must be a list of strings (got "a")',
      'error vela.yaml:5:59: policies[0].properties.namespace: invalid namespace "Bad_NS": must consist of lowercase letters, digits and "-", and start and end with a letter or digit',
      'error vela.yaml:5:67: policies[0].properties.zone: unknown key "zone" in a topology policy [a topology policy has clusters, clusterLabelSelector, namespace, allowEmpty, clusterSelector]',
      'error vela.yaml:6:58: policies[1].properties.components[0].nme: unknown key "nme" in a component override [did you mean `name`?]',
      'error vela.yaml:6:90: policies[1].properties.components[1].traits[0]: missing required key "type" [for example `type: scaler`]',
      'error vela.yaml:7:12: policies[2].name: duplicate policy name "o" [policy names must be unique]',
      'error vela.yaml:7:59: policies[2].properties.rules[0]: missing required key "selector"',
      'error vela.yaml:7:70: policies[2].properties.rules[0].strategy: strategy must be one of onAppUpdate, onAppDelete, never (got "sometimes")',
      'error vela.yaml:8:76: policies[3].properties.rules[0].selector.oamTypes: oamTypes items must be COMPONENT or TRAIT (got "WORKLOAD")',
      'error vela.yaml:9:43: policies[4].properties: an override policy needs properties.components [for example `components: [{name: web, properties: {image: web:v2}}]`]',
      'error vela.yaml:10:5: policies[5]: missing required key "type" [for example `type: topology`]',
    ]);
  });

  it('reads the deprecated clusterSelector as the label selector, with a warning', () => {
    const r = read('policies:', '  - {name: t, type: topology, properties: {clusterSelector: {env: prod}}}');
    expect(r.lines).toEqual(['warning vela.yaml:5:44: policies[0].properties.clusterSelector: clusterSelector is deprecated [write clusterLabelSelector]']);
    expect(r.delivery!.policies[0]).toMatchObject({ clusterLabelSelector: { value: { env: 'prod' } } });
  });
});

describe('workflow', () => {
  it('reads each step type, the mode, if, timeout and dependsOn', () => {
    const w = workflow(
      '  mode: {steps: DAG, subSteps: StepByStep}',
      '  steps:',
      '    - {name: one, type: deploy, properties: {policies: [eu], parallelism: 2, auto: false}}',
      '    - {name: two, type: apply-component, dependsOn: [one], properties: {component: web, cluster: eu, namespace: shop}}',
      '    - {name: wait, type: suspend, timeout: 1m30s, if: always, properties: {duration: 500ms, message: bake}}',
      '    - name: group',
      '      type: step-group',
      '      subSteps:',
      '        - {name: note, type: notification, properties: {slack: {url: {value: "https://hooks.example/x"}, message: {text: hi}}, lark: {url: {secretRef: {name: s, key: k}}, message: {msg_type: text}}}}',
    );
    expect(w.mode).toEqual({ steps: 'DAG', subSteps: 'StepByStep' });
    expect(w.steps.map((s) => [s.name, s.kind])).toEqual([
      ['one', 'deploy'],
      ['two', 'apply-component'],
      ['wait', 'suspend'],
      ['group', 'step-group'],
    ]);
    expect(w.steps[0]).toMatchObject({ policies: [{ value: 'eu' }], parallelism: 2, auto: false });
    expect(w.steps[1]).toMatchObject({ component: { value: 'web' }, cluster: { value: 'eu' }, namespace: { value: 'shop' }, dependsOn: [{ value: 'one' }] });
    expect(w.steps[2]).toMatchObject({ duration: { value: 500 }, message: 'bake', timeout: { value: 90_000 }, if: { value: 'always' } });
    expect(w.steps[3]).toMatchObject({
      subSteps: [
        {
          kind: 'notification',
          messages: [
            { channel: 'slack', url: { value: 'https://hooks.example/x' }, body: { text: 'hi' } },
            { channel: 'lark', url: { secretRef: { name: 's', key: 'k' } }, body: { msg_type: 'text' } },
          ],
        },
      ],
    });
  });

  it('gives a deploy step KubeVela’s defaults', () => {
    expect(workflow('  steps: [{name: d, type: deploy}]').steps[0]).toMatchObject({ policies: [], parallelism: 5, auto: true });
  });

  it('reports every shape error at its line, and keeps what KubeVela runs but vela does not for the planner to refuse', () => {
    const r = read(
      'workflow:',
      '  ref: shared',
      '  steps: [{name: hook, type: webhook, properties: {url: {value: x}}}, {name: mail, type: notification, properties: {email: {from: {address: a}}}}]',
    );
    expect(r.lines).toEqual([]);
    expect(r.delivery!.workflow).toMatchObject({ ref: { value: 'shared' }, steps: [{ kind: 'other', type: 'webhook' }, { kind: 'notification', messages: [] }] });
    expect(formatPos((r.delivery!.workflow!.steps[1] as { email?: Span }).email!)).toBe('vela.yaml:6:117');
    expect(
      read(
        'workflow:',
        '  ref: shared', // 5
        '  mode: {steps: Parallel}', // 6
        '  steps:',
        '    - {name: a, type: deploy, timeout: soon, properties: {policy: [x]}}', // 8
        '    - {name: a, type: webhook}', // 9
        '    - {name: b, type: suspend, properties: {duration: 1d}, subSteps: []}', // 10
        '    - {name: g, type: step-group, subSteps: [{name: g2, type: step-group}]}', // 11
        '    - {name: n, type: notification, properties: {email: {from: {address: a}}, slack: {url: {}}}}', // 12
        '    - {type: suspend, inputs: [{from: x}]}', // 13
      ).lines,
    ).toEqual([
      'error vela.yaml:6:17: workflow.mode.steps: steps must be one of StepByStep, DAG (got "Parallel")',
      'error vela.yaml:8:40: workflow.steps[0].timeout: invalid duration "soon" [a number and a unit, e.g. 30s, 5m, 1h30m (units: ms, s, m, h)]',
      'error vela.yaml:8:59: workflow.steps[0].properties.policy: unknown key "policy" in a deploy step [did you mean `policies`?]',
      'error vela.yaml:9:14: workflow.steps[1].name: duplicate step name "a" [step names must be unique, sub-steps included]',
      'error vela.yaml:10:55: workflow.steps[2].properties.duration: invalid duration "1d" [a number and a unit, e.g. 30s, 5m, 1h30m (units: ms, s, m, h)]',
      'error vela.yaml:10:60: workflow.steps[2].subSteps: only a step-group has subSteps',
      'error vela.yaml:11:63: workflow.steps[3].subSteps[0].type: a step-group cannot be a sub-step [step groups do not nest]',
      'error vela.yaml:12:86: workflow.steps[4].properties.slack: missing required key "message" [the JSON body to POST, in the format of the channel]',
      'error vela.yaml:12:92: workflow.steps[4].properties.slack.url: a url needs value or secretRef [for example `url: {value: https://hooks.slack.com/...}`]',
      'error vela.yaml:13:7: workflow.steps[5]: missing required key "name" [every step needs a name: `status.NAME` and dependsOn refer to it]',
      'warning vela.yaml:13:23: workflow.steps[5].inputs: inputs has no meaning without the KubeVela controller; ignored',
    ]);
  });
});

describe('in the resolved model', () => {
  it('keeps the typed policies, the workflow and the services as written; `services` has every override applied', () => {
    const r = parse(yaml(...head, 'policies:', '  - {name: o, type: override, properties: {components: [{name: web, properties: {image: web:2}}]}}', 'workflow:', '  steps: [{name: d, type: deploy, properties: {policies: [o]}}]'));
    expect(r.diagnostics.map(show)).toEqual([]);
    expect(r.app!.services[0]!.params).toEqual({ image: 'web:2' });
    expect(r.app!.baseServices![0]!.params).toEqual({ image: 'web:1' });
    expect(r.app!.policies!.map((p) => p.name)).toEqual(['o']);
    expect(r.app!.workflow!.steps.map((s) => s.name)).toEqual(['d']);
  });

  it('reads an Application’s spec.policies and spec.workflow into the same values', () => {
    const text = yaml('apiVersion: core.oam.dev/v1beta1', 'kind: Application', 'metadata: {name: shop}', 'spec:', '  components: [{name: web, type: webservice, properties: {image: a}}]', '  policies: [{name: t, type: topology, properties: {clusters: [eu]}}]', '  workflow: {steps: [{name: d, type: deploy, properties: {policies: [t]}}]}');
    const raw = parseApplication(new SourceFile('app.yaml', text), { dir: '/app' }).raw!;
    expect(raw.delivery!.policies[0]).toMatchObject({ kind: 'topology', path: ['spec', 'policies', 0], clusters: [{ value: 'eu' }] });
    expect(raw.delivery!.workflow!.steps[0]).toMatchObject({ kind: 'deploy', path: ['spec', 'workflow', 'steps', 0] });
  });
});
