/**
 * What the converters of one compose service share: the service's keys, what
 * was decided before they run (its ports, restart policy and component type),
 * and where they put their results. A converter never consults definitions:
 * it records the parameters and traits it means, each with the compose path it
 * came from (in `Origins`), and resolve/ checks them against the component.
 */
import { error, warning, type Diagnostic, type Span } from '../../source/index.js';
import type { DependencyRef } from '../depends-on.js';
import type { BuildSpec, DocPath, JsonObject, JsonValue } from '../model.js';
import type { Origins } from '../origins.js';
import type { RawParam, RawTrait } from '../raw-app.js';
import type { LEntry, LMap } from '../yaml-tree.js';
import type { Lookup } from './interpolate.js';
import type { ContainerPort } from './ports.js';
import type { FileSource, TopLevel } from './top-level.js';

/** What every service of one compose file sees. */
export interface ComposeContext {
  readonly app: string;
  readonly top: TopLevel;
  readonly origins: Origins;
  readonly lookup: Lookup;
  readonly files: FileSource;
  readonly serviceNames: ReadonlySet<string>;
  readonly disabledNames: ReadonlySet<string>;
  /** Services other services reach by name → the first that does (reached-by-name.ts). */
  readonly reachedBy: ReadonlyMap<string, string>;
  /** Claims, ConfigMaps and Secrets already created by an earlier service → that service (later ones only mount them). */
  readonly claimUsers: Map<string, string>;
  readonly diags: Diagnostic[];
}

/** A container port and the compose path it was written at. */
export interface ServicePort {
  readonly port: ContainerPort;
  readonly path: DocPath;
}

/** `restart` / `deploy.restart_policy`: whether the service runs to completion, and the task parameters that says. */
export interface RestartPolicy {
  readonly job: boolean;
  readonly text?: string;
  readonly span?: Span;
  readonly params?: JsonObject;
  /** The key it came from, when not `restart`. */
  readonly from?: string;
}

export class ServiceConversion {
  readonly name: string;
  readonly base: DocPath;
  /** Decided before the converters run (service-type.ts). */
  ports: readonly ServicePort[] = [];
  restart: RestartPolicy = { job: false };
  type = 'worker';
  /** Results. */
  readonly params: RawParam[] = [];
  readonly traits: RawTrait[] = [];
  image?: string;
  build?: BuildSpec;
  dependsOn: DependencyRef[] = [];

  constructor(
    readonly entry: LEntry,
    readonly body: LMap,
    readonly ctx: ComposeContext,
  ) {
    this.name = entry.key;
    this.base = ['services', entry.key];
  }

  /** A key of the service. */
  get(key: string): LEntry | undefined {
    return this.body.entries.find((e) => e.key === key);
  }

  /** A key of the service's `deploy` section. */
  deploy(key: string): LEntry | undefined {
    const d = this.get('deploy')?.value;
    return d?.kind === 'map' ? d.entries.find((e) => e.key === key) : undefined;
  }

  /** A component parameter made from the compose path `from`; `at` is where to point when the component lacks it. */
  param(key: string, value: JsonValue, from: DocPath, at: Span, unless?: RawParam['unless']): void {
    this.params.push({ key, value, span: at, ...(unless ? { unless } : {}) });
    this.ctx.origins.add([...this.base, key], from);
  }

  trait(name: string, properties: JsonObject, from: DocPath, at: Span): void {
    const path: DocPath = [...this.base, name];
    this.ctx.origins.add(path, from);
    this.traits.push({ name, properties, span: at, path });
  }

  /** An error of the service (path `services.NAME`, or below it). */
  error(message: string, span: Span, code: string, hint?: string, under?: string): void {
    this.ctx.diags.push(error(message, span, { path: this.path(under), code, ...(hint ? { hint } : {}) }));
  }

  /** A key or value without a Kubernetes meaning here. */
  ignored(message: string, span: Span, hint?: string, under?: string): void {
    this.ctx.diags.push(warning(message, span, { path: this.path(under), code: 'compose/ignored', ...(hint ? { hint } : {}) }));
  }

  private path(under: string | undefined): string {
    return under ? `services.${this.name}.${under}` : `services.${this.name}`;
  }
}
