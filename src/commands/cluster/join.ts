import { Args, BaseCommand, Flags, formatClusterJoined, parseDuration, withInterrupt } from '../../cli/index.js';

export default class ClusterJoin extends BaseCommand<typeof ClusterJoin> {
  static override summary = 'Make a cluster known by name, for topology policies to deliver to.';
  static override description = `Records the cluster in $VELA_HOME/clusters.yaml (default ~/.vela): the kubeconfig file and its context (--context, else the file's current context, pinned now), the server and labels. Credentials stay in your kubeconfig; with --copy, that one context is copied into $VELA_HOME/clusters/NAME.kubeconfig (mode 0600, certificate files inlined). Nothing prints credentials.
The cluster is asked for its version once; one that does not answer is joined all the same, with a warning.
With --ocm-hub, the cluster is an Open Cluster Management hub: its managed clusters (ManagedCluster objects, with their labels) become clusters by name too, delivered to through ManifestWork on the hub.
"local" is reserved: it is always the current kubeconfig context.`;
  static override examples = [
    '<%= config.bin %> cluster join ~/.kube/staging.yaml --name staging --labels env=staging,region=eu',
    { description: 'One context of a merged kubeconfig, its credentials copied', command: '<%= config.bin %> cluster join ~/.kube/config --context prod-admin --name prod --copy' },
    { description: 'An OCM hub', command: '<%= config.bin %> cluster join hub.kubeconfig --name hub --ocm-hub' },
  ];
  static override enableJsonFlag = true;
  static override args = { kubeconfig: Args.string({ description: 'the kubeconfig file of the cluster', required: true }) };
  static override flags = {
    name: Flags.string({ description: 'the name to know the cluster by (a DNS label; not "local")', required: true }),
    context: Flags.string({ description: "the kubeconfig context (default: the file's current one)" }),
    labels: Flags.string({ description: 'labels, k=v[,k=v...] (topology policies select clusters by them)', multiple: true }),
    copy: Flags.boolean({ description: 'copy the credentials into $VELA_HOME (mode 0600) instead of referring to the file' }),
    'ocm-hub': Flags.boolean({ description: 'the cluster is an Open Cluster Management hub' }),
    timeout: Flags.string({ description: 'how long to wait for the cluster to answer', default: '5s' }),
  };

  async run(): Promise<unknown> {
    const { clusterJoin } = await import('../../pipeline/clusters.js');
    const timeoutMs = parseDuration(this.flags.timeout, 'timeout');
    return withInterrupt(async (signal) =>
      this.print(
        formatClusterJoined(
          await clusterJoin({
            kubeconfig: this.args.kubeconfig,
            name: this.flags.name,
            ...(this.flags.context ? { context: this.flags.context } : {}),
            labels: this.flags.labels ?? [],
            copy: this.flags.copy,
            ocmHub: this.flags['ocm-hub'],
            timeoutMs,
            signal,
          }),
        ),
      ),
    );
  }
}
