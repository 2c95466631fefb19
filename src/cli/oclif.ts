/**
 * oclif's flag and argument builders, re-exported from their own entry points:
 * `@oclif/core`'s main index loads every part of oclif (and semver) at start-up,
 * which costs tens of milliseconds on every `vela` run.
 */
export * as Flags from '@oclif/core/flags';
export * as Args from '@oclif/core/args';
