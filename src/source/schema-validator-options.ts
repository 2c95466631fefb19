/**
 * How parameter schemas of definitions are validated (JSON Schema 2020-12, by
 * ajv), in one place for the two compilers that must agree: the one at run time
 * (src/appfile/validate-schema.ts) and the build's ahead-of-time one
 * (scripts/definitions-index.ts), whose compiled validators must report exactly
 * what the run-time compiler would. Plain data with no import, so it sits in
 * `source`, the leaf every module (the pure core too) may import, beside the
 * diagnostics these options shape.
 */
export const SCHEMA_VALIDATOR_OPTIONS = {
  // Every violation, not only the first: the user fixes them in one pass.
  allErrors: true,
  // Definitions carry keywords of our own (x-short, x-alias, ...).
  strict: false,
  // `format` is an annotation, as JSON Schema 2020-12 has it by default.
  validateFormats: false,
  // Compiling the meta-schema costs more than all our schemas together.
  validateSchema: false,
  // Two definitions with the same `$id` must not clash.
  addUsedSchema: false,
  // Nothing is printed outside the one diagnostic printer.
  logger: false,
} as const;
