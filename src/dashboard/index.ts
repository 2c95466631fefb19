/**
 * `vela dashboard`: a local web UI served by the CLI itself — the JSON API
 * over the pipeline's use cases (server/) and the preact front end (web/,
 * bundled into dist/dashboard-web/ at build time).
 */
export { startDashboard, type Dashboard, type DashboardOptions } from './server/server.js';
export { isLoopback, checkAddress } from './server/access.js';
export type * from './server/api-types.js';
export { openBrowser } from './server/open-browser.js';
