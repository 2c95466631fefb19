/**
 * The CLI layer: the base command, error → exit code mapping, help, progress
 * reporters and output formatters. Commands import from here; pipelines never do.
 */
export { Flags, Args } from './oclif.js';
export { BaseCommand, issuesUrl, type CommandFlags, type CommandArgs } from './base-command.js';
export { classifyError, reportError, diagnosticToJson, failureToJson, ExitError, type Failure, type FailureKind, type ReportOptions } from './errors.js';
export { VelaHelp, EXIT_CODES } from './help.js';
export { createReporter, reporterMode, type ReporterMode, type ReporterOptions, type Writable } from './progress-display.js';
export { formatTable, formatJson, formatYaml, formatYamlDocuments, type Column, type TableOptions } from './format.js';
export { main, type MainOptions } from './main.js';
