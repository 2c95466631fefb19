/**
 * One registry of component and trait definitions, whatever file they came
 * from. The first definition of a name wins (sources are given in lookup
 * order: --definitions, project, user, built-in). Schemas are derived from
 * the templates' `parameter` on first use, so listing definitions is cheap.
 */
import { error, type Diagnostic } from '../source/index.js';
import type { DefinitionSource } from './definition-file.js';
import { parameterSchema } from './parameter-schema.js';
import type { Definition, JsonSchema, Registry } from './types.js';

export class CapabilityDefinition implements Definition {
  private cachedSchema: JsonSchema | undefined;

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
  get appliesTo() {
    return this.source.appliesTo;
  }
  get workloadType() {
    return this.source.workloadType;
  }
  get status() {
    return this.source.status;
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
    return (this.cachedSchema ??= this.source.schema ?? parameterSchema(this.source.program, this.source.name));
  }

  /** The name of the build-time compiled validator of the schema, when there is one. */
  get validator(): string | undefined {
    return this.source.validator;
  }
}

export class DefinitionRegistry implements Registry {
  private readonly comps = new Map<string, CapabilityDefinition>();
  private readonly trts = new Map<string, CapabilityDefinition>();
  /** Definitions hidden by an earlier one of the same name. */
  readonly shadowed: CapabilityDefinition[] = [];

  constructor(sources: readonly DefinitionSource[]) {
    for (const s of sources) {
      const m = s.kind === 'component' ? this.comps : this.trts;
      const d = new CapabilityDefinition(s);
      if (m.has(s.name)) this.shadowed.push(d);
      else m.set(s.name, d);
    }
  }

  component(name: string): CapabilityDefinition | undefined {
    return this.comps.get(name);
  }
  trait(name: string): CapabilityDefinition | undefined {
    return this.trts.get(name);
  }
  components(): CapabilityDefinition[] {
    return [...this.comps.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
  traits(): CapabilityDefinition[] {
    return [...this.trts.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
  /** A definition by name, component first. */
  find(name: string): CapabilityDefinition | undefined {
    return this.comps.get(name) ?? this.trts.get(name);
  }
}

export function duplicateWarning(d: CapabilityDefinition, winner: CapabilityDefinition): Diagnostic {
  return { ...error(`${d.kind} ${d.name} from ${d.path} is hidden by ${winner.path}`, d.span), severity: 'warning' };
}
