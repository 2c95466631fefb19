/** The `struct` package: validators on the number of fields. */
import { BuiltinError, mkBool } from '../adt/scalar.js';
import { int } from './args.js';
import type { Builtin, Package } from './types.js';

function fieldCount(name: string, cmp: (n: number, limit: number) => boolean): Builtin {
  return {
    name,
    arity: 2,
    validator: true,
    call([v, n], c) {
      const fields = c.structFields(v!);
      if (!fields) throw new BuiltinError('eval', `${name}: argument must be a struct`);
      return mkBool(cmp(fields.length, int(c, n!)));
    },
  };
}

export const STRUCT: Package = {
  MinFields: fieldCount('MinFields', (n, l) => n >= l),
  MaxFields: fieldCount('MaxFields', (n, l) => n <= l),
};
