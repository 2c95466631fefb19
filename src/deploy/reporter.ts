/**
 * Progress of a deployment, through the host's Reporter (the CLI plugs in
 * spinners on a TTY, lines in CI, or nothing under --json).
 */
export { silentReporter, type Reporter, type TaskReporter } from '../host/index.js';
