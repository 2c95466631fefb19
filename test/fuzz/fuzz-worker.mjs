// Entry of the fuzz worker thread: registers the tsx loader (as bin/dev.js
// does), then runs the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./fuzz-worker.ts');
