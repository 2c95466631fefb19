/** Flags the `vela def` commands share. */
import { Flags, clusterFlags } from '../../cli/index.js';

export const definitionsFlag = Flags.string({ description: 'also look up definitions in this folder (repeatable, searched first)', multiple: true, helpValue: 'DIR' });

/** Where the cluster's definitions live (KubeVela keeps them in vela-system). */
export const defNamespaceFlag = Flags.string({ char: 'n', description: 'the namespace of the definitions on the cluster', default: 'vela-system' });

export const defTypeFlag = Flags.option({ char: 't', description: 'the definition type, when a name has several', options: ['component', 'trait', 'policy', 'workflow-step'] as const })();

export const defClusterFlags = {
  kubeconfig: clusterFlags.kubeconfig,
  context: clusterFlags.context,
  env: clusterFlags.env,
};
