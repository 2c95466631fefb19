/**
 * A Terraform component (`spec.schematic.terraform`) rendered as KubeVela
 * renders it: one terraform-controller `Configuration`
 * (terraform.core.oam.dev/v1beta2) named after the component, carrying the
 * definition's annotations, whose
 * - `hcl` is the inline configuration, or `remote` (+ `path`) the git module;
 * - `variable` is the component's properties without the keys that configure
 *   the Configuration itself (writeConnectionSecretToRef, providerRef,
 *   customRegion, forceDelete, gitCredentialsSecretReference);
 * - those keys, and the other Configuration fields a property names
 *   (deleteResource, backend, ...), are taken from the properties first, then
 *   from the definition; a connection Secret without a namespace gets the app's.
 */
import type { JsonObject, JsonValue } from '../appfile/index.js';
import { TERRAFORM_SPEC_KEYS, type TerraformSchematic } from '../capability/index.js';

/** The ConfigurationSpec fields a property may set directly (KubeVela decodes the properties into the spec). */
const SPEC_FIELDS = ['hcl', 'remote', 'path', 'backend', 'deleteResource', 'customRegion', 'forceDelete', 'inlineCredentials', 'jobEnv', 'gitCredentialsSecretReference', 'writeConnectionSecretToRef', 'providerRef'];

export interface TerraformInput {
  readonly component: string;
  readonly namespace: string;
  readonly schematic: TerraformSchematic;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly properties: JsonObject;
}

export type TerraformResult = { readonly ok: true; readonly object: JsonObject } | { readonly ok: false; readonly message: string; readonly hint: string };

export function terraformConfiguration(input: TerraformInput): TerraformResult {
  const { schematic, properties } = input;
  if (schematic.type === 'json') {
    return { ok: false, message: 'a Terraform configuration of type json cannot be rendered', hint: 'terraform-controller v1beta2 reads HCL (type: hcl) or a git module (type: remote); KubeVela renders only those two' };
  }
  const spec: JsonObject = {};
  for (const field of SPEC_FIELDS) if (properties[field] !== undefined) spec[field] = properties[field]!;
  const fromDefinition: Record<string, JsonValue | undefined> = {
    writeConnectionSecretToRef: schematic.writeConnectionSecretToRef,
    providerRef: schematic.providerRef,
    gitCredentialsSecretReference: schematic.gitCredentialsSecretReference,
  };
  for (const [field, value] of Object.entries(fromDefinition)) if (spec[field] === undefined && value !== undefined) spec[field] = { ...(value as JsonObject) };
  if (spec.customRegion === undefined && schematic.customRegion !== undefined) spec.customRegion = schematic.customRegion;
  if (spec.deleteResource === undefined && schematic.deleteResource !== undefined) spec.deleteResource = schematic.deleteResource;
  const secret = spec.writeConnectionSecretToRef;
  if (secret !== null && typeof secret === 'object' && !Array.isArray(secret) && !secret.namespace) spec.writeConnectionSecretToRef = { ...secret, namespace: input.namespace };
  if (schematic.type === 'remote') {
    spec.remote = schematic.configuration;
    if (schematic.path !== undefined) spec.path = schematic.path;
  } else spec.hcl = schematic.configuration;
  const variable = Object.fromEntries(Object.entries(properties).filter(([key]) => !(TERRAFORM_SPEC_KEYS as readonly string[]).includes(key)));
  spec.variable = variable;
  return {
    ok: true,
    object: {
      apiVersion: 'terraform.core.oam.dev/v1beta2',
      kind: 'Configuration',
      metadata: { name: input.component, namespace: input.namespace, ...(input.annotations && Object.keys(input.annotations).length && { annotations: { ...input.annotations } }) },
      spec: orderSpec(spec),
    },
  };
}

/** The Configuration's fields in a fixed order: the code, its variables, then the rest by name. */
function orderSpec(spec: JsonObject): JsonObject {
  const first = ['hcl', 'remote', 'path', 'variable'];
  const out: JsonObject = {};
  for (const k of first) if (spec[k] !== undefined) out[k] = spec[k]!;
  for (const k of Object.keys(spec).sort()) if (!first.includes(k)) out[k] = spec[k]!;
  return out;
}
