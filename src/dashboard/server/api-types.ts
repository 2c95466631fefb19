/**
 * The JSON the dashboard's API answers with: the contract between the server
 * (which fills these from the pipeline's results, checked by the compiler)
 * and the front end (src/dashboard/web, which imports these types only).
 * Self-contained on purpose, so the browser code pulls in no Node types.
 */

export interface ApiError {
  readonly error: {
    readonly message: string;
    readonly code: string;
    /** The CLI's text for the same failure: `file:line:col`, message, code frame, hint. */
    readonly diagnostics?: string;
  };
}

export interface AppRow {
  readonly cluster: string;
  readonly name: string;
  readonly namespace: string;
  readonly services: readonly string[];
}

export interface ClusterApps {
  readonly cluster: string;
  readonly reachable: boolean;
  readonly problem?: string;
  readonly apps: readonly AppRow[];
}

export interface AppsAnswer {
  readonly clusters: readonly ClusterApps[];
}

export interface ServiceRow {
  readonly name: string;
  readonly type: string;
  readonly healthy: boolean;
  readonly reasons: readonly string[];
  readonly replicas?: string;
  readonly endpoints: readonly string[];
  readonly message?: string;
  readonly images: readonly string[];
  readonly objects: ReadonlyArray<{ readonly kind: string; readonly name: string; readonly namespace?: string }>;
}

export interface EventRow {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly object: string;
  readonly count: number;
  readonly lastSeen?: string;
}

export interface AppAnswer {
  readonly cluster: string;
  readonly app: string;
  readonly namespace: string;
  readonly services: readonly ServiceRow[];
  readonly events: readonly EventRow[];
  /** The workflow's state, as `GET …/workflow` answers it: live with the rest of the app. */
  readonly workflow: WorkflowAnswer;
}

export interface StepRow {
  readonly name: string;
  readonly type: string;
  readonly phase: string;
  readonly reason?: string;
  readonly message?: string;
  readonly waiting: boolean;
  readonly subSteps?: readonly StepRow[];
}

export interface WorkflowAnswer {
  /** False when the app has no workflow state (it was deployed without a workflow). */
  readonly present: boolean;
  readonly phase?: string;
  readonly suspended?: boolean;
  readonly message?: string;
  readonly steps: readonly StepRow[];
}

export interface FieldChangeRow {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface PlanRow {
  readonly action: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly service?: string;
  readonly changes?: readonly FieldChangeRow[];
}

export interface PlanAnswer {
  readonly app: string;
  readonly namespace: string;
  readonly context: string;
  readonly server: string;
  readonly clusterVersion: string;
  readonly summary: Readonly<Record<string, number>>;
  readonly entries: readonly PlanRow[];
  /** Where the Appfile came from: the working folder's path, or `<stdin>` for a pasted one. */
  readonly source: string;
  /** Warnings of the render, as the CLI prints them. */
  readonly warnings?: string;
}

export interface ApplyAnswer {
  readonly app: string;
  readonly namespace: string;
  readonly summary: Readonly<Record<string, number>>;
  readonly objects: ReadonlyArray<{ readonly action: string; readonly kind: string; readonly name: string; readonly service?: string }>;
  readonly writes: number;
  /** What `vela up` said on the way: image builds and pushes (`[service] …`), notes. */
  readonly progress: readonly string[];
}

export interface CapabilityRow {
  readonly name: string;
  readonly kind: 'component' | 'trait' | 'policy' | 'workflow-step';
  readonly description: string;
  readonly origin: string;
  readonly path: string;
  /** Components: the workload; traits: what they apply to. */
  readonly detail: string;
}

export interface AddonRow {
  readonly name: string;
  /** The newest version a registry offers (or the enabled one). */
  readonly version: string;
  readonly description: string;
  /** As `vela addon list` says: `enabled`, `definitions-only` or `disabled`. */
  readonly status: 'enabled' | 'definitions-only' | 'disabled';
  readonly enabledVersion?: string;
  /** The registry that offers it, or where the enabled one came from. */
  readonly registry: string;
  readonly availableVersions: readonly string[];
}

export interface CapabilitiesAnswer {
  readonly capabilities: readonly CapabilityRow[];
  /** The addons of the configured registries and the enabled ones (`vela addon list`). */
  readonly addons: readonly AddonRow[];
  /** Why the addons could not be listed (a registry that does not answer); the definitions are listed regardless. */
  readonly addonProblem?: string;
}

export interface AddonAnswer {
  readonly addon: AddonRow;
  readonly tags: readonly string[];
  readonly url?: string;
  readonly dependencies: ReadonlyArray<{ readonly name: string; readonly version?: string }>;
  /** The definitions it brings, read from the addon's own files. */
  readonly definitions: ReadonlyArray<{ readonly kind: string; readonly name: string; readonly description: string; readonly detail: string }>;
}

export interface ParameterRowAnswer {
  readonly name: string;
  readonly description: string;
  readonly type: string;
  readonly required: boolean;
  readonly default?: string;
}

export interface CapabilityAnswer {
  readonly capability: CapabilityRow;
  readonly tables: ReadonlyArray<{ readonly path: string; readonly description: string; readonly rows: readonly ParameterRowAnswer[] }>;
  /** An Appfile snippet that uses it, with its required parameters filled in. */
  readonly example: string;
}

export interface ClusterRow {
  readonly name: string;
  readonly source: string;
  readonly server?: string;
  readonly reachable: boolean;
  readonly version?: string;
  readonly problem?: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ClustersAnswer {
  readonly clusters: readonly ClusterRow[];
  readonly environments: ReadonlyArray<{ readonly name: string; readonly namespace: string; readonly context?: string; readonly current: boolean }>;
  readonly warnings: readonly string[];
}

/** One line of an app's log stream (`GET /api/apps/…/logs`, event `line`), with where it came from. */
export interface LogLine {
  readonly service: string;
  readonly pod: string;
  readonly container: string;
  readonly line: string;
}

/** The events of the live stream (`GET /api/live`): the same answers as the GETs, sent again whenever they change. */
export type LiveEvent =
  | { readonly topic: 'apps'; readonly data: AppsAnswer }
  | { readonly topic: 'clusters'; readonly data: ClustersAnswer }
  | { readonly topic: 'app'; readonly data: AppAnswer | ApiError };
