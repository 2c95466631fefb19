/**
 * What an API server serves: the resource (URL name, scope) of each kind per
 * group version, and the versions of each group. Answers are cached per
 * cluster, keyed by the server's URL, in a DiscoveryCache that every client of
 * that cluster may share (one per `vela` run is the intent: an app delivered
 * to many clusters asks each server once, and never mixes their answers).
 * A cached answer is refreshed once when a kind is missing from it, as a CRD
 * applied a moment ago would be.
 */
import { apiPathOf, splitApiVersion } from './kube-object.js';

/** What discovery says about one kind. */
export interface ResourceInfo {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The plural resource name used in URLs, e.g. `deployments`. */
  readonly resource: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

/** The server does not serve a kind (e.g. `autoscaling/v2` on Kubernetes 1.20). */
export class UnknownKindError extends Error {
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnknownKindError';
  }
}

export interface ServerVersion {
  readonly major: string;
  readonly minor: string;
  readonly gitVersion: string;
}

/** A GET that answers `undefined` on 404: the requester of whichever client asks. */
export type DiscoveryGet = <T>(path: string) => Promise<T | undefined>;

type GroupVersionResources = Map<string, ResourceInfo>;

/** The cached answers of one cluster. Holds promises, so concurrent askers share one request. */
class ClusterAnswers {
  readonly groupVersions = new Map<string, Promise<GroupVersionResources | undefined>>();
  groups: Promise<Map<string, string[]>> | undefined;
}

/** Discovery answers per cluster. Without one passed in, each client keeps its own. */
export class DiscoveryCache {
  private readonly clusters = new Map<string, ClusterAnswers>();

  /** The cache key of a cluster: its server URL, normalised (discovery does not depend on who asks). */
  static keyOf(server: string): string {
    try {
      return new URL(server).href.replace(/\/$/, '');
    } catch {
      return server;
    }
  }

  /** The answers of one cluster, created empty on first use. */
  answersFor(server: string): ClusterAnswers {
    const key = DiscoveryCache.keyOf(server);
    let answers = this.clusters.get(key);
    if (!answers) this.clusters.set(key, (answers = new ClusterAnswers()));
    return answers;
  }

  /** How many clusters have answers here (for tests and diagnostics). */
  get size(): number {
    return this.clusters.size;
  }
}

/** Discovery of one cluster through one client's requests, with that cluster's cached answers. */
export class Discovery {
  constructor(
    private readonly answers: ClusterAnswers,
    private readonly get: DiscoveryGet,
  ) {}

  /** The server's version (`/version`), asked each time (it is what `vela up` shows). */
  async serverVersion(): Promise<ServerVersion> {
    const version = await this.get<{ major: string; minor: string; gitVersion: string }>('/version');
    return { major: version?.major ?? '', minor: (version?.minor ?? '').replace(/\+$/, ''), gitVersion: version?.gitVersion ?? '' };
  }

  /** Resource mapping of a kind; refreshed once when the kind is missing (e.g. a CRD just made). */
  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo> {
    let resources = await this.groupVersion(apiVersion);
    let info = resources?.get(kind);
    if (!info) {
      resources = await this.groupVersion(apiVersion, true);
      info = resources?.get(kind);
    }
    if (!info) throw await this.unknownKind(apiVersion, kind, resources);
    return info;
  }

  /** Like resourceFor, but `undefined` when the server does not serve the kind. */
  async tryResourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    try {
      return await this.resourceFor(apiVersion, kind);
    } catch (err) {
      if (err instanceof UnknownKindError) return undefined;
      throw err;
    }
  }

  /** Every apiVersion the server serves for a group, the preferred one first (`['v1']` for the core group). */
  async groupApiVersions(group: string): Promise<string[]> {
    if (group === '') return ['v1'];
    const answers = this.answers;
    answers.groups ??= this.get<{ groups?: Array<{ name: string; preferredVersion?: { groupVersion: string }; versions?: Array<{ groupVersion: string }> }> }>('/apis').then((list) => {
      const byGroup = new Map<string, string[]>();
      for (const entry of list?.groups ?? []) {
        const all = (entry.versions ?? []).map((v) => v.groupVersion);
        const preferred = entry.preferredVersion?.groupVersion ?? all[0];
        if (preferred) byGroup.set(entry.name, [preferred, ...all.filter((v) => v !== preferred)]);
      }
      return byGroup;
    });
    const pending = answers.groups;
    // A failed answer is not an answer: the next asker tries again.
    pending.catch(() => {
      if (answers.groups === pending) answers.groups = undefined;
    });
    return (await pending).get(group) ?? [];
  }

  /** The preferred apiVersion of a group (`v1` for the core group), or `undefined` when the server has no such group. */
  async preferredApiVersion(group: string): Promise<string | undefined> {
    return (await this.groupApiVersions(group))[0];
  }

  private groupVersion(apiVersion: string, refresh = false): Promise<GroupVersionResources | undefined> {
    const cache = this.answers.groupVersions;
    const cached = refresh ? undefined : cache.get(apiVersion);
    if (cached) return cached;
    const { group, version } = splitApiVersion(apiVersion);
    const pending = this.get<{ resources?: Array<{ name: string; kind: string; namespaced: boolean; verbs?: string[] }> }>(apiPathOf(apiVersion)).then((list) => {
      if (!list) return undefined;
      const byKind: GroupVersionResources = new Map();
      for (const resource of list.resources ?? []) {
        if (resource.name.includes('/')) continue; // subresources
        byKind.set(resource.kind, { group, version, kind: resource.kind, resource: resource.name, namespaced: resource.namespaced, verbs: resource.verbs ?? [] });
      }
      return byKind;
    });
    pending.catch(() => {
      if (cache.get(apiVersion) === pending) cache.delete(apiVersion);
    });
    cache.set(apiVersion, pending);
    return pending;
  }

  private async unknownKind(apiVersion: string, kind: string, resources: GroupVersionResources | undefined): Promise<UnknownKindError> {
    let version = '';
    try {
      const server = await this.serverVersion();
      version = server.gitVersion ? ` (Kubernetes ${server.gitVersion})` : '';
    } catch {
      version = '';
    }
    if (!resources) return new UnknownKindError(apiVersion, kind, `the server${version} does not serve ${apiVersion}`);
    return new UnknownKindError(apiVersion, kind, `the server${version} has no kind ${kind} in ${apiVersion}`);
  }
}
