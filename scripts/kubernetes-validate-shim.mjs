// Build-time stand-in for @kubernetes-models/validate in dist/kubernetes-schemas/
// (see scripts/kubernetes-schemas.mjs): the formats the Kubernetes schemas use
// (test/render/kubernetes-schemas.test.ts checks none is missing), and a
// runValidateFunc that throws ajv's raw errors. The real package
// loads ajv-formats, ajv-i18n and more (about 100 ms) to produce English
// messages that vela writes itself (src/pipeline/kubernetes-schemas.ts).
const MIN_INT32 = -(2 ** 31);
const MAX_INT32 = 2 ** 31 - 1;
export const formats = {
  int32: { type: 'number', validate: (n) => Number.isInteger(n) && n >= MIN_INT32 && n <= MAX_INT32 },
  int64: { type: 'number', validate: (n) => Number.isInteger(n) },
  double: { type: 'number', validate: () => true },
  // RFC 3339, as Go's time.Time reads it.
  'date-time': { type: 'string', validate: (s) => /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) },
  // Checked by vela's own rules (src/render/api-rules.ts): base64 as Go decodes it, quantities with their sign.
  byte: { type: 'string', validate: () => true },
  // The generated code calls `validate.test(value)`.
  quantity: { type: 'string', validate: /(?:)/ },
};

export function runValidateFunc(fn, data) {
  if (!fn(data) && fn.errors) {
    const err = new Error('schema validation failed');
    err.errors = fn.errors;
    throw err;
  }
}
