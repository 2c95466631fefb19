/** The evaluator's surface for the rest of the engine (export, builtins, the Value API). */
export { Evaluator, LimitError, type EvalOptions, type Val } from './evaluator.js';
export { fromJSON, scalarToJSON } from './data.js';
export { FloatValue } from '../adt/scalar.js';
export { instantiate, evalInInstance, type Instance } from './instance.js';
