import { Args, BaseCommand, appfileFlags, Flags, clusterFlags, targetClusterFlag, clusterOptions, formatForwarding, withInterrupt } from '../cli/index.js';
import { DiagnosticError, error } from '../source/index.js';

export default class PortForward extends BaseCommand<typeof PortForward> {
  static override summary = "Forward local ports to a running pod of an app's service.";
  static override description = `Listens on local ports and forwards each connection to a running pod of the service, until Ctrl-C. Each PORT is [LOCAL:]REMOTE; without one, the service's port (its Service's target port, else its container's first port) on the same local port. LOCAL 0 (or ":REMOTE") picks a free port.`;
  static override examples = [
    '<%= config.bin %> port-forward shop --svc web',
    { description: 'Local 8080 to the pod port 80', command: '<%= config.bin %> port-forward shop --svc web 8080:80' },
    { description: 'A free local port', command: '<%= config.bin %> port-forward shop --svc db :5432' },
  ];
  static override strict = false;
  static override args = {
    app: Args.string({ description: "the app's name (see `vela ls`)", required: true }),
  };
  static override flags = {
    ...appfileFlags,
    ...clusterFlags,
    ...targetClusterFlag,
    svc: Flags.string({ char: 's', description: 'the service (default: the first with pods)' }),
    address: Flags.string({ description: 'the local address to listen on', default: '127.0.0.1' }),
  };

  async run(): Promise<void> {
    const { clusterPortForward, parsePortSpec } = await import('../pipeline/cluster.js');
    const specs = this.positional.slice(1);
    const ports = specs.map((s) => {
      const p = parsePortSpec(s);
      if (!p) throw new DiagnosticError([error(`invalid port ${JSON.stringify(s)}: expected [LOCAL:]REMOTE, e.g. 8080:80`, undefined, { code: 'cli/usage' })]);
      return p;
    });
    return withInterrupt(async (signal) => {
      const forwarding = await clusterPortForward({ app: this.args.app, cwd: process.cwd(), cluster: this.flags.cluster }, clusterOptions(this.flags, signal), { service: this.flags.svc, ports, address: this.flags.address });
      this.write(formatForwarding(forwarding, this.flags.address));
      this.write('press Ctrl-C to stop\n', process.stderr);
      // Runs until Ctrl-C: then the handle closes its listeners and we end normally.
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      await forwarding.close();
    });
  }
}
