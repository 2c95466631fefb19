/** Flags the addon commands share, and the enable/upgrade options they map to. */
import { Flags, clusterFlags, clusterOptions, parseClusterVersion, parseDuration } from '../../cli/index.js';
import type { AddonContext } from '../../pipeline/addon-sources.js';
import type { EnableAddonOptions } from '../../pipeline/addon-enable.js';

export const addonClusterFlags = {
  kubeconfig: clusterFlags.kubeconfig,
  context: clusterFlags.context,
  env: clusterFlags.env,
};

export const registryFlag = Flags.string({ char: 'r', description: 'look only in this registry: a configured name, or a source (folder, git URL, HTTP URL)', helpValue: 'NAME|SRC' });

export const namespaceFlag = Flags.string({ char: 'n', description: "the namespace of the addon's Application (default: its template's topology namespace, else vela-system)" });

/** The flags of `enable` and `upgrade`. */
export const enableFlags = {
  registry: registryFlag,
  set: Flags.string({ description: 'a parameter (repeatable); a.b=1 sets b inside a', multiple: true, helpValue: 'KEY=VALUE' }),
  version: Flags.string({ char: 'v', description: 'the addon version (default: the newest release)' }),
  'dry-run': Flags.boolean({ description: 'print the Applications and the manifests that would be applied; apply and install nothing' }),
  format: Flags.option({ char: 'o', description: 'format of --dry-run', options: ['yaml', 'json'] as const, default: 'yaml' as const })(),
  'definitions-only': Flags.boolean({ description: 'install the definitions without touching a cluster' }),
  local: Flags.boolean({ description: "install the definitions into this project's .vela/addons/ instead of $VELA_HOME/addons/" }),
  namespace: namespaceFlag,
  ...addonClusterFlags,
  'override-definitions': Flags.boolean({ description: 'take over definitions of the same name that another enabled addon installed' }),
  'skip-version-check': Flags.boolean({ description: "do not check the addon's system.kubernetes against the cluster" }),
  'cluster-version': Flags.string({ description: 'Kubernetes version the templates see without a cluster (--dry-run, --definitions-only)' }),
  wait: Flags.boolean({ description: "wait until the addon's services are healthy" }),
  timeout: Flags.string({ description: 'how long to wait for health (30s, 5m)', default: '5m' }),
};

export interface EnableFlagValues {
  registry?: string;
  set?: string[];
  version?: string;
  'dry-run'?: boolean;
  'definitions-only'?: boolean;
  local?: boolean;
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  env?: string;
  'override-definitions'?: boolean;
  'skip-version-check'?: boolean;
  'cluster-version'?: string;
  wait?: boolean;
  timeout: string;
}

/** The pipeline's options for `enable`/`upgrade`: the target, `KEY=VALUE` words after it and --set, and the flags. */
export function enableOptions(ctx: AddonContext, target: string, pairs: readonly string[], flags: EnableFlagValues, upgrade: boolean): EnableAddonOptions {
  return {
    ...ctx,
    target,
    registry: flags.registry,
    set: [...pairs, ...(flags.set ?? [])],
    version: flags.version,
    dryRun: flags['dry-run'],
    definitionsOnly: flags['definitions-only'],
    local: flags.local,
    namespace: flags.namespace,
    cluster: clusterOptions({ kubeconfig: flags.kubeconfig, context: flags.context, env: flags.env }, ctx.signal),
    overrideDefinitions: flags['override-definitions'],
    skipVersionCheck: flags['skip-version-check'],
    clusterVersion: parseClusterVersion(flags['cluster-version']),
    wait: flags.wait,
    timeoutMs: parseDuration(flags.timeout, 'timeout'),
    upgrade,
  };
}
