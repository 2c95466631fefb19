// Build-time stand-in for @kubernetes-models/validate in dist/kubernetes-schemas/
// (see scripts/kubernetes-schemas.mjs): the four formats the Kubernetes schemas
// use, and a runValidateFunc that throws ajv's raw errors. The real package
// loads ajv-formats, ajv-i18n and more (about 100 ms) to produce English
// messages that vela writes itself (src/pipeline/kubernetes-schemas.ts).
const MIN_INT32 = -(2 ** 31);
const MAX_INT32 = 2 ** 31 - 1;
export const formats = {
  int32: { type: 'number', validate: (n) => Number.isInteger(n) && n >= MIN_INT32 && n <= MAX_INT32 },
  int64: { type: 'number', validate: (n) => Number.isInteger(n) },
  double: { type: 'number', validate: () => true },
  // Checked by vela's own rules (src/render/api-rules.ts), as Go decodes it.
  byte: { type: 'string', validate: () => true },
};

export function runValidateFunc(fn, data) {
  if (!fn(data) && fn.errors) {
    const err = new Error('schema validation failed');
    err.errors = fn.errors;
    throw err;
  }
}
