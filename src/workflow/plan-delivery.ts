/**
 * The delivery planner: an AppModel's policies and workflow, the definitions
 * and the known clusters → a delivery plan (plan.ts), or the errors that make
 * one impossible, each at its line in the Appfile or Application:
 *   - a deploy step naming a policy that does not exist;
 *   - a topology naming an unknown cluster, or a selector matching no cluster
 *     (unless `allowEmpty`);
 *   - an override naming a component that does not exist (an override matching
 *     nothing by pattern or type is a warning);
 *   - an apply-component step naming an unknown component or cluster;
 *   - dependsOn naming an unknown step, or closing a cycle;
 *   - an `if` that is not a boolean CUE expression over `status`;
 *   - what KubeVela runs but vela does not (another step type, a workflow by
 *     `ref`, email notifications);
 *   - a value an override sets that its definition's schema refuses.
 * Without a workflow the steps are KubeVela's default ones: one deploy step per
 * topology policy (named `deploy-<policy>`, with every override policy), or,
 * with no topology, one `deploy` step to the local cluster with every override.
 * Pure: the clusters come in as data.
 */
import { deriveAppModel, sortDiagnostics, stepTypes, type AppModel, type ComponentOverride, type DeployStep, type Located, type OverridePolicy, type Policy, type TopologyPolicy, type WorkflowStep } from '../appfile/index.js';
import type { Registry } from '../capability/index.js';
import { didYouMean, error, warning, type Diagnostic, type Span } from '../source/index.js';
import { evaluateIf } from './if-condition.js';
import { placeTargets } from './placement.js';
import { LOCAL_CLUSTER, type DeliveryOptions, type DeliveryPlan, type KnownCluster, type PlannedStep, type TargetDelivery } from './plan.js';
import { resourceOptions } from './resource-options.js';
import { checkStepDependencies } from './step-graph.js';

export interface PlanInput {
  readonly app: AppModel;
  readonly registry: Registry;
  /** The cluster registry's clusters; `local` is always known. */
  readonly clusters: readonly KnownCluster[];
}

export interface PlanResult {
  /** Absent when there are errors. */
  readonly plan?: DeliveryPlan;
  readonly diagnostics: readonly Diagnostic[];
}

export function planDelivery(input: PlanInput): PlanResult {
  const { app } = input;
  const diags: Diagnostic[] = [];
  const policies = app.policies ?? [];
  const byName = new Map(policies.map((p) => [p.name, p]));
  for (const p of policies) {
    if (p.kind === 'other') diags.push(warning(`policy type "${p.type}" is not supported by vela; ignored`, p.typeSpan, { path: `policy ${p.name}`, code: 'workflow/unsupported-policy' }));
  }
  const workflow = app.workflow;
  if (workflow?.ref) diags.push(error('a workflow by reference (`ref`) needs the KubeVela controller', workflow.ref.span, { code: 'workflow/ref', hint: 'write the steps inline under `steps:`' }));
  const written = workflow?.steps ?? defaultSteps(app, policies);
  const mode = workflow?.mode ?? { steps: 'StepByStep' as const, subSteps: 'DAG' as const };
  const planner = new StepPlanner(input, byName, diags);
  const steps = written.flatMap((s) => planner.plan(s) ?? []);

  checkStepDependencies(written, mode.steps, 'workflow', diags);
  for (const s of written) if (s.kind === 'step-group') checkStepDependencies(s.subSteps, mode.subSteps, `workflow.${s.name}.subSteps`, diags);
  checkConditions(written, diags);
  if (workflow) {
    const used = new Set(written.flatMap((s) => (s.kind === 'step-group' ? s.subSteps : [s])).flatMap((s) => (s.kind === 'deploy' ? s.policies.map((p) => p.value) : [])));
    for (const p of policies) {
      if ((p.kind === 'topology' || p.kind === 'override') && !used.has(p.name)) {
        diags.push(warning(`policy "${p.name}" is used by no deploy step`, p.nameSpan, { path: `policy ${p.name}`, code: 'workflow/unused-policy', hint: `add it to a deploy step's policies, e.g. \`policies: [${p.name}]\`` }));
      }
    }
  }
  const options: DeliveryOptions = resourceOptions(policies);
  const diagnostics = sortDiagnostics(unique(diags));
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const clusters = [...new Set(planner.targetsSeen.map((t) => t.target.cluster))];
  return { plan: { app: app.name, mode, steps, generated: !workflow, options, clusters }, diagnostics };
}

/** KubeVela's generated workflow (pkg/workflow/step/generator.go): a deploy step per topology, with every override policy first. */
function defaultSteps(app: AppModel, policies: readonly Policy[]): DeployStep[] {
  const overrides = policies.filter((p): p is OverridePolicy => p.kind === 'override');
  const topologies = policies.filter((p): p is TopologyPolicy => p.kind === 'topology');
  const ref = (p: Policy): Located<string> => ({ value: p.name, span: p.nameSpan });
  const step = (name: string, span: Span, refs: Located<string>[]): DeployStep => ({
    kind: 'deploy',
    name,
    nameSpan: span,
    type: 'deploy',
    typeSpan: span,
    span,
    path: [],
    dependsOn: [],
    policies: refs,
    parallelism: 5,
    auto: true,
  });
  if (topologies.length === 0) {
    const span = overrides[0]?.span ?? app.locate(['name']) ?? app.services[0]!.span;
    return [step('deploy', span, overrides.map(ref))];
  }
  return topologies.map((t) => step(`deploy-${t.name}`, t.span, [...overrides.map(ref), ref(t)]));
}

class StepPlanner {
  /** Every target of every delivering step, in plan order. */
  readonly targetsSeen: TargetDelivery[] = [];

  constructor(
    private readonly input: PlanInput,
    private readonly policies: ReadonlyMap<string, Policy>,
    private readonly diags: Diagnostic[],
  ) {}

  plan(step: WorkflowStep): PlannedStep | undefined {
    const head = {
      name: step.name,
      type: step.type,
      ...(step.if ? { if: step.if.value } : {}),
      ...(step.timeout ? { timeoutMs: step.timeout.value } : {}),
      dependsOn: step.dependsOn.map((d) => d.value),
      span: step.span,
    };
    switch (step.kind) {
      case 'deploy': {
        const targets = this.deployTargets(step);
        return targets && { ...head, kind: 'deploy', targets, parallelism: step.parallelism, approval: !step.auto, policies: step.policies.map((p) => p.value) };
      }
      case 'apply-component': {
        const target = this.componentTarget(step.component, step.cluster, step.namespace?.value);
        return target && { ...head, kind: 'apply-component', component: step.component.value, targets: [target] };
      }
      case 'suspend':
        return { ...head, kind: 'suspend', ...(step.duration ? { durationMs: step.duration.value } : {}), ...(step.message !== undefined ? { message: step.message } : {}) };
      case 'step-group':
        return { ...head, kind: 'step-group', subSteps: step.subSteps.flatMap((s) => this.plan(s) ?? []) };
      case 'notification':
        if (step.email) this.diags.push(error('vela does not send email notifications', step.email, { code: 'workflow/email', hint: 'use a webhook channel: slack, dingding or lark' }));
        return { ...head, kind: 'notification', messages: step.messages };
      case 'other':
        this.diags.push(error(`unknown workflow step type "${step.type}"`, step.typeSpan, { code: 'workflow/unknown-type', hint: didYouMean(step.type, stepTypes) ?? `vela runs the step types ${stepTypes.join(', ')}` }));
        return undefined;
    }
  }

  private deployTargets(step: DeployStep): TargetDelivery[] | undefined {
    const topologies: TopologyPolicy[] = [];
    const overrides: OverridePolicy[] = [];
    let broken = false;
    for (const ref of step.policies) {
      const p = this.policies.get(ref.value);
      if (!p) {
        broken = true;
        const names = [...this.policies.keys()];
        this.diags.push(error(`unknown policy "${ref.value}"`, ref.span, { path: `workflow.${step.name}.properties.policies`, code: 'workflow/unknown-policy', hint: didYouMean(ref.value, names) ?? (names.length ? `policies: ${names.join(', ')}` : 'the app has no policies') }));
      } else if (p.kind === 'topology') topologies.push(p);
      else if (p.kind === 'override') overrides.push(p);
      // Resource policies apply to the whole app whichever step names them; unsupported ones were warned about.
    }
    const before = this.diags.length;
    const targets = placeTargets(topologies, this.input.clusters, writtenNamespace(this.input.app), this.diags);
    const derived = deriveAppModel(this.input.app, this.input.registry, { overrides });
    this.diags.push(...derived.diagnostics);
    this.reportUnmatched(derived.unmatched);
    if (broken || this.diags.slice(before).some((d) => d.severity === 'error')) return undefined;
    return this.record(targets.map((target) => ({ target, app: withNamespace(derived.app, target.namespace) })));
  }

  private componentTarget(component: Located<string>, cluster: Located<string> | undefined, namespace: string | undefined): TargetDelivery | undefined {
    const { app, registry, clusters } = this.input;
    const names = (app.baseServices ?? app.services).map((s) => s.name);
    let ok = true;
    if (!names.includes(component.value)) {
      ok = false;
      this.diags.push(error(`unknown component "${component.value}"`, component.span, { code: 'workflow/unknown-component', hint: didYouMean(component.value, names) ?? `components: ${names.join(', ')}` }));
    }
    const known = [LOCAL_CLUSTER, ...clusters.map((c) => c.name)];
    if (cluster && !known.includes(cluster.value)) {
      ok = false;
      this.diags.push(error(`unknown cluster "${cluster.value}"`, cluster.span, { code: 'workflow/unknown-cluster', hint: didYouMean(cluster.value, known) ?? `known clusters: ${[...new Set(known)].sort().join(', ')}` }));
    }
    if (!ok) return undefined;
    const derived = deriveAppModel(app, registry, { only: [component.value] });
    this.diags.push(...derived.diagnostics);
    const ns = namespace ?? writtenNamespace(app);
    return this.record([{ target: { cluster: cluster?.value ?? LOCAL_CLUSTER, ...(ns !== undefined ? { namespace: ns } : {}) }, app: withNamespace(derived.app, ns) }])[0];
  }

  /** A named override that selects nothing is an error (a typo would silently deliver the unchanged component); a pattern or type is a warning. */
  private reportUnmatched(entries: readonly ComponentOverride[]): void {
    const services = this.input.app.baseServices ?? this.input.app.services;
    for (const entry of entries) {
      const name = entry.name;
      if (name && !name.value.includes('*')) {
        const same = services.find((s) => s.name === name.value);
        if (same && entry.type) {
          this.diags.push(error(`component "${same.name}" is of type "${same.type}", not "${entry.type.value}"`, entry.type.span, { code: 'workflow/override-type', hint: `remove \`type\`, or write \`type: ${same.type}\`` }));
        } else {
          this.diags.push(error(`the override names an unknown component "${name.value}"`, name.span, { code: 'workflow/unknown-component', hint: didYouMean(name.value, services.map((s) => s.name)) ?? `components: ${services.map((s) => s.name).join(', ')}` }));
        }
      } else this.diags.push(warning('this override matches no component', entry.span, { code: 'workflow/override-unmatched' }));
    }
  }

  private record(targets: TargetDelivery[]): TargetDelivery[] {
    this.targetsSeen.push(...targets);
    return targets;
  }
}

/** The app's own namespace: `namespace:` or metadata, not what a topology says. */
function writtenNamespace(app: AppModel): string | undefined {
  return app.baseServices ? app.baseNamespace : app.namespace;
}

function withNamespace(app: AppModel, namespace: string | undefined): AppModel {
  if (namespace === app.namespace) return app;
  // The span of the app's own namespace says nothing about another one.
  const copy: { -readonly [K in keyof AppModel]: AppModel[K] } = { ...app };
  delete copy.namespaceSpan;
  if (namespace === undefined) delete copy.namespace;
  else copy.namespace = namespace;
  return copy;
}

/** Every `if` must be `always` or evaluate to a boolean once the steps it names have a status. */
function checkConditions(steps: readonly WorkflowStep[], diags: Diagnostic[]): void {
  const all = steps.flatMap((s) => (s.kind === 'step-group' ? [s, ...s.subSteps] : [s]));
  const status = Object.fromEntries(all.map((s) => [s.name, { phase: 'succeeded' }]));
  for (const s of all) {
    if (!s.if || s.if.value === 'always') continue;
    const r = evaluateIf(s.if.value, status);
    if (!r.ok) {
      diags.push(
        error(`if: ${r.message}`, s.if.span, {
          code: 'workflow/if',
          hint: `\`always\`, or a CUE expression over status, e.g. \`status.${all[0]?.name ?? 'deploy'}.succeeded\` (steps: ${all.map((x) => x.name).join(', ')})`,
        }),
      );
    }
  }
}

function unique(diags: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
    const key = JSON.stringify([d.severity, d.message, d.path, d.span?.file.name, d.span?.start]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
