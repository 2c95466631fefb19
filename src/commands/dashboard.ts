import { BaseCommand, Flags, clusterFlags, parseDuration, withInterrupt } from '../cli/index.js';

export default class Dashboard extends BaseCommand<typeof Dashboard> {
  static override summary = 'Serve a local web UI: apps, plans, workflows, capabilities and clusters.';
  static override description = `Serves the dashboard and its JSON API from this process until Ctrl-C, on loopback (127.0.0.1) unless --address names another address. It prints a URL with a random access token: every API call needs it, so another local user or a web page cannot drive the dashboard.
The page shows the apps of every namespace of the current cluster and of the clusters registered with \`vela cluster join\`, live; each app's services (health, replicas, images, endpoints, objects), events, logs and workflow; a plan with field-level diffs of the working folder's Appfile (or one pasted in the page), which it can apply after a confirmation; the capabilities with their parameters; and the clusters and environments with reachability and versions.`;
  static override examples = [
    '<%= config.bin %> dashboard',
    { description: 'Open the browser on another port', command: '<%= config.bin %> dashboard --port 8080 --open' },
    { description: 'Serve it on every interface, on purpose', command: '<%= config.bin %> dashboard --address 0.0.0.0' },
  ];
  static override flags = {
    port: Flags.integer({ description: 'the port to listen on (0: any free port)', default: 38081, min: 0, max: 65535 }),
    address: Flags.string({ description: 'the address to listen on (default 127.0.0.1; anything beyond loopback only when given here)' }),
    open: Flags.boolean({ description: 'open the dashboard in the browser' }),
    file: Flags.string({ char: 'f', description: 'the Appfile the Plan page plans (default: the one in the current folder)' }),
    definitions: Flags.string({ description: 'also look up definitions in this folder (repeatable, searched first)', multiple: true, helpValue: 'DIR' }),
    kubeconfig: clusterFlags.kubeconfig,
    context: clusterFlags.context,
    env: clusterFlags.env,
    'request-timeout': Flags.string({ description: 'how long one request to a cluster may take before it shows as unreachable', default: '5s', helpGroup: 'CLUSTER' }),
  };

  async run(): Promise<void> {
    const flags = this.flags;
    const requestTimeoutMs = parseDuration(flags['request-timeout'], 'request-timeout');
    const { startDashboard, openBrowser, isLoopback } = await import('../dashboard/index.js');
    await withInterrupt(async (signal) => {
      const address = flags.address ?? '127.0.0.1';
      const dashboard = await startDashboard({
        port: flags.port,
        address,
        addressExplicit: flags.address !== undefined,
        cwd: process.cwd(),
        ...(flags.file !== undefined && { file: flags.file }),
        definitionDirs: flags.definitions ?? [],
        cluster: { ...(flags.kubeconfig !== undefined && { kubeconfig: flags.kubeconfig }), ...(flags.context !== undefined && { context: flags.context }), ...(flags.env !== undefined && { envName: flags.env }) },
        environment: this.env,
        requestTimeoutMs,
      });
      if (!isLoopback(address)) this.write(`warning: serving beyond this machine on ${address}; anyone with the URL can change your apps\n`, process.stderr);
      this.write(`${dashboard.url}\n`);
      this.write('vela dashboard: serving until Ctrl-C\n', process.stderr);
      if (flags.open) {
        const problem = await openBrowser(dashboard.url);
        if (problem) this.write(`warning: ${problem}\n`, process.stderr);
      }
      // Ctrl-C is how the dashboard stops: the server closes and the command ends without an error.
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
      await dashboard.close();
    });
  }
}
