import {
  BaseCommand,
  approvalAtTerminal,
  Flags,
  clusterFlags,
  clusterOptions,
  formatDeliverSummary,
  formatPlan,
  formatRendered,
  formatRenderWarnings,
  formatWorkflowDelivery,
  formatWorkflowPlan,
  lockFlags,
  lockOptions,
  parseDuration,
  renderFlags,
  renderOptions,
  withInterrupt,
  withoutRepeats,
} from '../cli/index.js';
import { DiagnosticError, error, type Diagnostic } from '../source/index.js';

export default class Up extends BaseCommand<typeof Up> {
  static override summary = 'Build, render and deliver the app: to the cluster, or to a folder with --output.';
  static override description = `Builds and pushes the images of services with a build section (Docker Engine API), renders every service through its capability definitions, then applies the manifests to the cluster of the kubeconfig (server-side apply, field manager vela) or writes them to --output DIR.`;
  static override examples = [
    '<%= config.bin %> up',
    { description: 'Write the manifests to a folder instead of a cluster', command: '<%= config.bin %> up --output out/' },
    { description: 'Render without building (images keep their computed tags)', command: '<%= config.bin %> up --output out/ --skip-build' },
    { description: 'Show what would change in the cluster, changing nothing', command: '<%= config.bin %> up --plan' },
    { description: 'Deploy to the staging environment and wait up to 2 minutes for health', command: '<%= config.bin %> up --env staging --wait --timeout 2m' },
    { description: 'Adopt objects that exist already but are not vela\'s (e.g. made with kubectl)', command: '<%= config.bin %> up --take-over' },
  ];
  static override enableJsonFlag = true;
  static override flags = {
    ...renderFlags,
    'skip-build': Flags.boolean({ description: 'do not build or push images; use the tags their builds would get' }),
    push: Flags.boolean({ description: 'push built images to their registry', default: true, allowNo: true }),
    ...clusterFlags,
    plan: Flags.boolean({ description: 'print what would change in the cluster (server-side dry run) and change nothing', exclusive: ['output'] }),
    'force-conflicts': Flags.boolean({ description: 'take over fields that another field manager owns' }),
    'take-over': Flags.boolean({ description: 'adopt objects that exist but are not vela\'s (refused otherwise); recorded as adopted' }),
    prune: Flags.boolean({ description: 'delete objects of the app that are no longer in the Appfile (only what vela created or adopted)', default: true, allowNo: true }),
    wait: Flags.boolean({ description: 'wait until every service is healthy (default: on a terminal)', allowNo: true }),
    timeout: Flags.string({ description: 'bound on the whole run against the cluster: checks, apply, waits (image builds not counted)', default: '5m' }),
    ...lockFlags,
    yes: Flags.boolean({ char: 'y', description: 'approve every approval step and untimed suspend of the workflow (non-interactive use, CI)' }),
    'show-secrets': Flags.boolean({ description: 'with --plan: show secret values in the changes instead of (redacted)', dependsOn: ['plan'] }),
    watch: Flags.boolean({ description: 'keep delivering on every change, streaming logs, until Ctrl-C (as vela dev)', exclusive: ['plan', 'wait'] }),
    cleanup: Flags.boolean({ description: 'with --watch: delete the app when watching stops', dependsOn: ['watch'] }),
  };

  async run(): Promise<unknown> {
    if (this.flags.watch) {
      const { runDevFromFlags } = await import('./dev.js');
      return runDevFromFlags(this.flags, { color: this.useColor(process.stderr), reporter: await this.reporter() });
    }
    const dir = this.flags.output;
    if (dir === undefined) return this.toCluster();
    const { upToFolder } = await import('../pipeline/up.js');
    const result = await upToFolder({
      ...renderOptions(this.flags),
      build: !this.flags['skip-build'],
      push: this.flags.push,
      reporter: await this.reporter(),
      cluster: clusterOptions(this.flags),
      output: { format: this.flags.format, dir },
    });
    return this.print(formatRendered(result, { color: this.useColor(process.stderr), verbose: this.flags.verbose }));
  }

  /** Build, render for the cluster's version and namespace, then apply (or, with --plan, dry-run). */
  private async toCluster(): Promise<unknown> {
    const flags = this.flags;
    const timeoutMs = parseDuration(flags.timeout, 'timeout');
    const { deliverToCluster, planDelivery } = await import('../pipeline/deliver.js');
    const reporter = withoutRepeats(await this.reporter());
    return withInterrupt(async (signal) => {
      const opts = {
        ...renderOptions(flags),
        cluster: clusterOptions(flags, signal),
        build: !flags['skip-build'],
        push: flags.push,
        reporter,
        force: flags['force-conflicts'],
        takeOver: flags['take-over'],
        ...lockOptions(flags),
        showSecrets: flags['show-secrets'],
        prune: flags.prune,
        wait: flags.wait ?? process.stderr.isTTY === true,
        timeoutMs,
        onRendered: (warnings: readonly Diagnostic[]) => this.write(formatRenderWarnings(warnings, [], { color: this.useColor(process.stderr) }), process.stderr),
      };
      const { loadWorkflowApp, deliverWorkflow, planWorkflowTargets } = await import('../pipeline/deliver-workflow.js');
      const withWorkflow = await loadWorkflowApp(opts);
      if (withWorkflow && flags.plan) {
        const { onRendered, ...rest } = opts;
        return this.print(formatWorkflowPlan(await planWorkflowTargets({ ...rest, onPlanned: (warnings) => onRendered(warnings) }, withWorkflow), { color: this.useColor(process.stdout) }));
      }
      if (withWorkflow) {
        const { onRendered, ...rest } = opts;
        const r = await deliverWorkflow({ ...rest, approveAll: flags.yes, ...(this.canAsk() && { askApproval: approvalAtTerminal }), onPlanned: (warnings) => onRendered(warnings) }, withWorkflow);
        const out = this.print(formatWorkflowDelivery(r));
        if (r.phase === 'failed' || r.phase === 'terminated') throw workflowFailed(r.app, r.message ?? r.phase, r.targets);
        return out;
      }
      if (flags.plan) {
        const plan = await planDelivery(opts);
        this.write(formatPlan(plan, { color: this.useColor(process.stdout) }));
        return plan;
      }
      const r = await deliverToCluster(opts);
      this.write(formatDeliverSummary(r), process.stderr);
      return r;
    }, 'interrupted: vela up stopped part-way; run it again to converge');
  }
}

/**
 * One cluster failing fails the run, once every cluster's result is printed: exit 1 when every failed target failed
 * on the app's input (an object not vela's, a refused field), else 2 (a cluster failed).
 */
function workflowFailed(app: string, message: string, targets: readonly { ok: boolean; inputError?: boolean }[]): DiagnosticError {
  const failed = targets.filter((t) => !t.ok);
  const exitCode = failed.length > 0 && failed.every((t) => t.inputError) ? 1 : 2;
  return new DiagnosticError([error(`the workflow of ${app} did not succeed: ${message}`, undefined, { code: 'workflow/failed', hint: `fix what the summary says, then run \`vela up\` again (it converges); \`vela workflow status ${app}\` shows the state` })], exitCode);
}
