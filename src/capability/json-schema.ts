/** The subset of JSON Schema (draft 2019-09/2020-12 keywords) that parameter schemas use (parameter-schema.ts). */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null' | readonly ('object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null')[];
  description?: string;
  default?: unknown;
  enum?: readonly unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  prefixItems?: readonly JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  not?: JsonSchema;
  anyOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  allOf?: readonly JsonSchema[];
  /** vela extensions from comments: `+short`, `+alias`, `+ignore`. */
  'x-short'?: string;
  'x-alias'?: string;
  'x-ignore'?: boolean;
  [key: string]: unknown;
}

