/**
 * `workflow:` (an Appfile's top level, an Application's `spec`) → a typed
 * workflow (delivery-model.ts): `mode`, and `steps` with their `name`,
 * `type`, `properties`, `if`, `timeout`, `dependsOn` and a step group's
 * `subSteps`, with KubeVela's field names. The shape of each step type vela
 * runs is checked here, every problem an error at its line; references
 * (policies, components, steps, clusters) are the planner's to check. What
 * KubeVela accepts but vela cannot run (another step type, a workflow by
 * `ref`, email notifications) is kept, and refused by the planner only: a
 * command that does not run the workflow reads the file as before.
 */
import { error, warning, type Diagnostic, type Span } from '../source/index.js';
import { type Located, type NotificationMessage, type StepMode, type Workflow, type WorkflowStep, stepProperties, stepTypes } from './delivery-model.js';
import { formatDocPath } from './doc-path.js';
import { parseGoDuration } from './duration.js';
import { MapReader, readMap } from './map-reader.js';
import type { DocPath } from './model.js';
import { dns1123LabelProblem } from './names.js';
import type { LEntry, LNode } from './yaml-tree.js';

const CODE = 'workflow';
const modes: readonly StepMode[] = ['StepByStep', 'DAG'];
const stepKeys = ['name', 'type', 'properties', 'if', 'timeout', 'dependsOn', 'subSteps'] as const;
/** KubeVela step fields that need its controller (inputs and outputs pass values between steps through CUE). */
const ignoredStepKeys = ['meta', 'inputs', 'outputs'] as const;

/** Reads `workflow:`; `base` is its document path (['workflow'] or ['spec', 'workflow']). */
export function readWorkflow(entry: LEntry, base: DocPath, diags: Diagnostic[]): Workflow | undefined {
  const v = entry.value;
  if (v.kind === 'scalar' && v.value === null) return undefined;
  const w = readMap(v, base, diags, CODE, 'workflow must be a map with `steps`');
  if (!w) return undefined;
  w.rejectUnknown(['steps', 'mode', 'ref'], 'a workflow');
  const ref = w.string('ref');
  const mode = w.mapOf('mode');
  mode?.rejectUnknown(['steps', 'subSteps'], 'a workflow mode');
  const steps: WorkflowStep[] = [];
  const names = new Map<string, Span>();
  for (const { node, path } of w.list('steps') ?? []) {
    const step = readStep(node, path, w, names, diags, true);
    if (step) steps.push(step);
  }
  if (!w.has('steps') && !w.has('ref')) w.fail('a workflow needs steps', entry.keySpan, { hint: 'for example `steps: [{name: deploy, type: deploy}]`' });
  return {
    span: entry.keySpan,
    path: base,
    mode: { steps: mode?.choice('steps', modes)?.value ?? 'StepByStep', subSteps: mode?.choice('subSteps', modes)?.value ?? 'DAG' },
    steps,
    ...(ref ? { ref } : {}),
  };
}

function readStep(node: LNode, path: DocPath, parent: MapReader, names: Map<string, Span>, diags: Diagnostic[], topLevel: boolean): WorkflowStep | undefined {
  const reader = parent.item(node, path, 'a workflow step must be a map with name, type and properties');
  if (!reader) return undefined;
  for (const e of reader.rejectUnknown(stepKeys, 'a workflow step', ignoredStepKeys)) {
    diags.push(warning(`${e.key} has no meaning without the KubeVela controller; ignored`, e.keySpan, { path: formatDocPath([...path, e.key]), code: `${CODE}/ignored` }));
  }
  const name = reader.string('name', { required: true, hint: 'every step needs a name: `status.NAME` and dependsOn refer to it' });
  const type = reader.string('type', { required: true, hint: `vela runs ${stepTypes.join(', ')}` });
  if (name) {
    const prev = names.get(name.value);
    if (prev) diags.push(error(`duplicate step name "${name.value}"`, name.span, { path: formatDocPath([...path, 'name']), code: `${CODE}/duplicate`, related: [prev], hint: 'step names must be unique, sub-steps included' }));
    else names.set(name.value, name.span);
  }
  const ifText = reader.string('if');
  const timeoutText = reader.string('timeout');
  const timeout = timeoutText ? durationOf(timeoutText, [...path, 'timeout'], reader) : undefined;
  const dependsOn = reader.stringList('dependsOn') ?? [];
  if (!name || !type) return undefined;
  const head = {
    name: name.value,
    nameSpan: name.span,
    type: type.value,
    typeSpan: type.span,
    span: reader.map.span,
    path,
    ...(ifText ? { if: ifText } : {}),
    ...(timeout ? { timeout } : {}),
    dependsOn,
  };
  if (!(stepTypes as readonly string[]).includes(type.value)) return { ...head, kind: 'other' };
  const subSteps = reader.entry('subSteps');
  if (subSteps && type.value !== 'step-group') reader.fail('only a step-group has subSteps', subSteps.keySpan, { path: [...path, 'subSteps'] });
  const props = reader.mapOf('properties');
  const properties = props ?? new MapReader({ kind: 'map', entries: [], span: type.span, size: 1 }, [...path, 'properties'], diags, CODE);
  switch (type.value) {
    case 'deploy': {
      properties.rejectUnknown(stepProperties.deploy, 'a deploy step');
      return { ...head, kind: 'deploy', policies: properties.stringList('policies') ?? [], parallelism: properties.int('parallelism', 1)?.value ?? 5, auto: properties.bool('auto')?.value ?? true };
    }
    case 'apply-component': {
      properties.rejectUnknown(stepProperties['apply-component'], 'an apply-component step');
      const component = properties.string('component', { required: true, hint: 'the name of the component to deliver' });
      const cluster = properties.string('cluster');
      const namespace = properties.string('namespace');
      const problem = namespace && dns1123LabelProblem(namespace.value);
      if (namespace && problem) properties.fail(`invalid namespace "${namespace.value}": ${problem}`, namespace.span, { path: [...properties.path, 'namespace'] });
      if (!component) return undefined;
      return { ...head, kind: 'apply-component', component, ...(cluster ? { cluster } : {}), ...(namespace && !problem ? { namespace } : {}) };
    }
    case 'suspend': {
      properties.rejectUnknown(stepProperties.suspend, 'a suspend step');
      const text = properties.string('duration');
      const duration = text ? durationOf(text, [...properties.path, 'duration'], properties) : undefined;
      const message = properties.string('message');
      return { ...head, kind: 'suspend', ...(duration ? { duration } : {}), ...(message ? { message: message.value } : {}) };
    }
    case 'step-group': {
      if (props) reader.fail('a step-group takes no properties', reader.entry('properties')!.keySpan, { path: [...path, 'properties'], hint: 'put its steps under `subSteps:`' });
      if (!topLevel) {
        reader.fail('a step-group cannot be a sub-step', type.span, { path: [...path, 'type'], hint: 'step groups do not nest' });
        return undefined;
      }
      const steps: WorkflowStep[] = [];
      for (const sub of reader.list('subSteps') ?? []) {
        const step = readStep(sub.node, sub.path, reader, names, diags, false);
        if (step) steps.push(step);
      }
      return { ...head, kind: 'step-group', subSteps: steps };
    }
    case 'notification': {
      const email = properties.entry('email')?.keySpan;
      return { ...head, kind: 'notification', messages: readNotification(properties, type.span), ...(email ? { email } : {}) };
    }
  }
  return undefined;
}

function durationOf(text: Located<string>, path: DocPath, at: MapReader): Located<number> | undefined {
  const ms = parseGoDuration(text.value);
  if (ms === undefined) {
    at.fail(`invalid duration "${text.value}"`, text.span, { path, hint: 'a number and a unit, e.g. 30s, 5m, 1h30m (units: ms, s, m, h)' });
    return undefined;
  }
  return { value: ms, span: text.span };
}

const channels = ['slack', 'dingding', 'lark'] as const;

/** Slack, DingTalk and Lark messages are webhook POSTs of `message` as JSON; email would need an SMTP client. */
function readNotification(p: MapReader, typeSpan: Span): NotificationMessage[] {
  p.rejectUnknown(stepProperties.notification, 'a notification step', ['email']);
  const out: NotificationMessage[] = [];
  for (const channel of channels) {
    const c = p.mapOf(channel);
    if (!c) continue;
    c.rejectUnknown(['url', 'message'], `a ${channel} notification`);
    const url = c.mapOf('url', { required: true });
    const body = c.json('message');
    if (!body && !c.has('message')) c.fail('missing required key "message"', c.map.span, { hint: 'the JSON body to POST, in the format of the channel' });
    let target: NotificationMessage['url'] | undefined;
    if (url) {
      url.rejectUnknown(['value', 'secretRef'], 'a notification url');
      const value = url.string('value');
      const ref = url.mapOf('secretRef');
      ref?.rejectUnknown(['name', 'key'], 'a secretRef');
      const name = ref?.string('name', { required: true });
      const key = ref?.string('key', { required: true });
      if (value && ref) url.fail('give either value or secretRef, not both', url.map.span);
      else if (value) target = { value: value.value };
      else if (name && key) target = { secretRef: { name: name.value, key: key.value } };
      else if (!ref) url.fail('a url needs value or secretRef', url.map.span, { hint: 'for example `url: {value: https://hooks.slack.com/...}`' });
    }
    if (target && body) out.push({ channel, url: target, body, span: c.map.span });
  }
  if (out.length === 0 && !p.map.entries.length) p.fail('a notification step needs a channel', typeSpan, { hint: `give one of ${channels.join(', ')} with its url and message` });
  return out;
}
