/**
 * One registry of definitions — components, traits, policies, workflow
 * steps — whatever file they came from. The first definition of a name and
 * kind wins (sources are given in lookup order: --definitions, project, user,
 * built-in). Schemas are derived from the templates' `parameter` on first
 * use, so listing definitions is cheap.
 */
import { error, type Diagnostic } from '../source/index.js';
import type { DefinitionSource } from './definition-file.js';
import { parameterSchema } from './parameter-schema.js';
import { terraformSchema } from './terraform.js';
import { inferredWorkloadType } from './workload-type.js';
import type { Definition, DefinitionKind, JsonSchema, Registry } from './types.js';

/** The `image` parameter a v1alpha2 component takes for `context.image` when its template declares none. */
const CONTEXT_IMAGE: JsonSchema = { type: 'string', description: 'The container image (the template reads it as context.image)' };

export class CapabilityDefinition implements Definition {
  private cachedSchema: JsonSchema | undefined;
  private inferred: { type: string | undefined } | undefined;

  constructor(readonly source: DefinitionSource) {}

  get name() {
    return this.source.name;
  }
  get kind() {
    return this.source.kind;
  }
  get description() {
    return this.source.description;
  }
  get labels() {
    return this.source.labels;
  }
  get appliesTo() {
    return this.source.appliesTo;
  }
  /**
   * The workload a component produces: as its definition declares it, else
   * (no declaration, or KubeVela's `autodetects.core.oam.dev`) as its template's
   * `output` says when apiVersion and kind are fixed there.
   */
  get workloadType(): string | undefined {
    const declared = this.source.workloadType;
    if (declared !== undefined && declared !== AUTODETECT) return declared;
    if (this.source.kind !== 'component' || this.source.terraform) return declared;
    this.inferred ??= { type: inferredWorkloadType(this.source.program) };
    return this.inferred.type ?? declared;
  }
  get status() {
    return this.source.status;
  }
  get conflictsWith() {
    return this.source.conflictsWith;
  }
  get podDisruptive() {
    return this.source.podDisruptive;
  }
  get stage() {
    return this.source.stage;
  }
  get workloadRefPath() {
    return this.source.workloadRefPath;
  }
  get manageWorkload() {
    return this.source.manageWorkload;
  }
  get revisionEnabled() {
    return this.source.revisionEnabled;
  }
  get resource() {
    return this.source.resource;
  }
  get terraform() {
    return this.source.terraform;
  }
  get origin() {
    return this.source.origin;
  }
  get path() {
    return this.source.path;
  }
  get span() {
    return this.source.span;
  }

  /** The JSON Schema of `parameter`; throws DiagnosticError (pointing into the definition) when it cannot be derived. */
  get schema(): JsonSchema {
    if (this.cachedSchema) return this.cachedSchema;
    let schema = this.source.schema ?? (this.source.terraform ? terraformSchema(this.source.terraform) : parameterSchema(this.source.program, this.source.name));
    if (this.takesContextImage(schema)) schema = { ...schema, properties: { image: CONTEXT_IMAGE, ...schema.properties } };
    return (this.cachedSchema = schema);
  }

  /** A v1alpha2 component without an `image` parameter: the service's image goes to `context.image` only. */
  get imageInContext(): boolean {
    return this.source.legacyFormat === true && this.schema.properties?.image === CONTEXT_IMAGE;
  }

  private takesContextImage(schema: JsonSchema): boolean {
    return this.source.legacyFormat === true && this.source.kind === 'component' && schema.type === 'object' && schema.properties?.image === undefined;
  }

  /** The name of the build-time compiled validator of the schema, when there is one. */
  get validator(): string | undefined {
    return this.source.validator;
  }
}

/** KubeVela's workload type for "whatever the template outputs". */
const AUTODETECT = 'autodetects.core.oam.dev';

export class DefinitionRegistry implements Registry {
  private readonly byKind: Record<DefinitionKind, Map<string, CapabilityDefinition>> = {
    component: new Map(),
    trait: new Map(),
    policy: new Map(),
    'workflow-step': new Map(),
  };
  /** Definitions hidden by an earlier one of the same name and kind. */
  readonly shadowed: CapabilityDefinition[] = [];

  constructor(sources: readonly DefinitionSource[]) {
    for (const s of sources) {
      const m = this.byKind[s.kind];
      const d = new CapabilityDefinition(s);
      if (m.has(s.name)) this.shadowed.push(d);
      else m.set(s.name, d);
    }
  }

  /** The definition of a kind by name. */
  get(kind: DefinitionKind, name: string): CapabilityDefinition | undefined {
    return this.byKind[kind].get(name);
  }
  /** Every definition of a kind, sorted by name. */
  all(kind: DefinitionKind): CapabilityDefinition[] {
    return [...this.byKind[kind].values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  component(name: string): CapabilityDefinition | undefined {
    return this.get('component', name);
  }
  trait(name: string): CapabilityDefinition | undefined {
    return this.get('trait', name);
  }
  policy(name: string): CapabilityDefinition | undefined {
    return this.get('policy', name);
  }
  workflowStep(name: string): CapabilityDefinition | undefined {
    return this.get('workflow-step', name);
  }
  components(): CapabilityDefinition[] {
    return this.all('component');
  }
  traits(): CapabilityDefinition[] {
    return this.all('trait');
  }
  policies(): CapabilityDefinition[] {
    return this.all('policy');
  }
  workflowSteps(): CapabilityDefinition[] {
    return this.all('workflow-step');
  }
  /** A definition by name: a component, else a trait, a policy, a workflow step. */
  find(name: string): CapabilityDefinition | undefined {
    return this.component(name) ?? this.trait(name) ?? this.policy(name) ?? this.workflowStep(name);
  }
}

export function duplicateWarning(d: CapabilityDefinition, winner: CapabilityDefinition): Diagnostic {
  return { ...error(`${d.kind} ${d.name} from ${d.path} is hidden by ${winner.path}`, d.span), severity: 'warning' };
}
