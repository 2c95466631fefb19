import { BaseCommand, appfileFlags, Flags, clusterFlags, clusterOptions, formatPlan, formatWorkflowPlan, formatRenderWarnings, overrideFlags, parseDuration, renderFlags, renderOptions, withInterrupt } from '../cli/index.js';
import type { Diagnostic } from '../source/index.js';

export default class Diff extends BaseCommand<typeof Diff> {
  static override summary = 'Show what `vela up` would change in the cluster, changing nothing.';
  static override description = `Renders the app for the cluster's Kubernetes version and namespace, then asks the API server for a server-side dry run of every object. Prints one row per object: create, update (with the changed fields), unchanged, adopt (with --take-over), prune (in the cluster but no longer in the Appfile) or release (kept in the cluster, no longer the app's). Secret values are redacted in every output form unless --show-secrets. Nothing is built, pushed or written; the same as \`vela up --plan\`.`;
  static override examples = [
    '<%= config.bin %> diff',
    { description: 'Against another namespace, as JSON', command: '<%= config.bin %> diff -n staging --json' },
    { description: 'Through a vela environment', command: '<%= config.bin %> diff --env prod' },
  ];
  static override enableJsonFlag = true;
  static override flags = {
    ...appfileFlags,
    file: renderFlags.file,
    definitions: renderFlags.definitions,
    'cluster-version': renderFlags['cluster-version'],
    ...overrideFlags,
    ...clusterFlags,
    'force-conflicts': Flags.boolean({ description: 'plan as if fields owned by another field manager were taken over' }),
    'take-over': Flags.boolean({ description: 'plan as if objects that are not vela\'s were adopted (vela up --take-over)' }),
    prune: Flags.boolean({ description: 'list objects that are no longer in the Appfile as prune', default: true, allowNo: true }),
    timeout: Flags.string({ description: 'bound on the whole run against the cluster', default: '5m' }),
    'show-secrets': Flags.boolean({ description: 'show secret values in the changes instead of (redacted)' }),
  };

  async run(): Promise<unknown> {
    const flags = this.flags;
    const timeoutMs = parseDuration(flags.timeout, 'timeout');
    const { planDelivery } = await import('../pipeline/deliver.js');
    const { loadWorkflowApp, planWorkflowTargets } = await import('../pipeline/deliver-workflow.js');
    return withInterrupt(async (signal) => {
      const common = {
        ...renderOptions(flags),
        cluster: clusterOptions(flags, signal),
        force: flags['force-conflicts'],
        takeOver: flags['take-over'],
        showSecrets: flags['show-secrets'],
        timeoutMs,
        prune: flags.prune,
      };
      const onRendered = (warnings: readonly Diagnostic[]) => this.write(formatRenderWarnings(warnings, [], { color: this.useColor(process.stderr) }), process.stderr);
      // An app with policies or a workflow: every cluster of every delivering step.
      const withWorkflow = await loadWorkflowApp(common);
      if (withWorkflow) return this.print(formatWorkflowPlan(await planWorkflowTargets({ ...common, onPlanned: onRendered }, withWorkflow), { color: this.useColor(process.stdout) }));
      const plan = await planDelivery({ ...common, onRendered });
      this.write(formatPlan(plan, { color: this.useColor(process.stdout) }));
      return plan;
    });
  }
}
