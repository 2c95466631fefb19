export * from './position.js';
export * from './diagnostic.js';
export * from './code-frame.js';
export * from './schema-validator-options.js';
