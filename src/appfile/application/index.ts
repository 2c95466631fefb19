/** KubeVela Applications: read one into an AppModel, or write one from an AppModel. */
export { parseApplication, type ParseApplicationOptions } from './parse-application.js';
export { toApplication, type ToApplicationOptions } from './to-application.js';
