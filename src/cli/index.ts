/**
 * The CLI layer: the base command, error → exit code mapping, help, progress
 * display, the flags commands share and their mapping to pipeline options, and
 * the formatters that turn pipeline results into output. Commands import from
 * here; pipelines never do.
 */
export { Flags, Args } from './oclif.js';
export { BaseCommand, issuesUrl, type CommandFlags, type CommandArgs } from './base-command.js';
export { classifyError, reportError, diagnosticToJson, failureToJson, ExitError, type Failure, type FailureKind, type ReportOptions } from './errors.js';
export { VelaHelp, EXIT_CODES } from './help.js';
export { createReporter, reporterMode, withoutRepeats, type ReporterMode, type ReporterOptions, type Writable } from './progress-display.js';
export { formatTable, formatJson, formatYaml, formatYamlDocuments, type Column, type TableOptions, type CommandOutput } from './format.js';
export { main, type MainOptions } from './main.js';
// Flags and options.
export { clusterFlags, targetClusterFlag, clusterOptions, lockFlags, lockOptions, parseDuration, type ClusterFlagValues } from './cluster-flags.js';
export { renderFlags, renderOptions, overrideFlags, overrideOptions, parseClusterVersion, type RenderFlagValues } from './render-flags.js';
export { discoveryOptions, terminalWidth } from './discovery-options.js';
export { addonContext, defContext } from './addon-options.js';
export { formatDefinitionList, formatVet, formatDefinitionsApplied, formatSync, formatInstalled, formatUninstalled, formatDefinitionGot } from './def-format.js';
export { withInterrupt } from './interrupt.js';
export { withTerminalStdin, type TerminalStdin } from './terminal.js';
export { terminalAsk, confirmAtTerminal, approvalAtTerminal, isPromptCancelled } from './prompts.js';
export { completionScript, completionSpec, formatCandidates, shells, type Shell } from './complete.js';
// Formatters, one family of commands each.
export { formatBuild } from './build-format.js';
export { formatConversion } from './convert-format.js';
export { formatInit } from './init-format.js';
export { formatVersion } from './version-format.js';
export { formatRendered, formatApplication, formatRenderWarnings, formatManifestOutput } from './render-format.js';
export { formatPlan, formatDeliverSummary, formatStatus, formatStatusEverywhere, formatDeletedEverywhere, formatAppList, formatAppListEverywhere, formatEnvList, formatDeleted, formatForwarding, formatEnvCreated, formatEnvCurrent, formatEnvDeleted } from './cluster-format.js';
export { formatAddonEnabled, formatAddonDryRun, formatAddonList, formatAddonStatus, formatAddonDisabled, formatRegistryList } from './addon-format.js';
export { formatCanaryStatus, formatCanaryMove } from './canary-format.js';
export { formatComponentList, formatTraitList, formatReference, fitColumn, truncate, sourceLabel, parameterLabel, type ReferenceFormat, type ListFormatOptions } from './show-format.js';
export { formatClusterList, formatClusterJoined, formatClusterChanged } from './cluster-registry-format.js';
export { formatWorkflowStatus, formatWorkflowChanged, formatWorkflowDelivery, formatWorkflowPlan } from './workflow-format.js';
export { createDevFormatter, type DevFormatter } from './dev-format.js';
