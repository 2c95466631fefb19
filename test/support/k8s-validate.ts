/**
 * Validates rendered objects against their published schemas, offline:
 * Kubernetes' own kinds with `kubernetes-models`, other projects' custom
 * resources with their `@kubernetes-models/*` packages (KEDA, Prometheus
 * operator, Flux), and kinds without a package (Flagger) with a CRD of our own
 * under test/fixtures/crds, where a field the schema does not know is an error
 * (the API server would silently prune it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

type Model = new (o: unknown) => { validate(): void };
type Check = (obj: Record<string, unknown>) => string | undefined;

/** API groups of other projects, by the package that has their models. */
const PACKAGES: Record<string, string> = {
  'keda.sh': '@kubernetes-models/keda',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'helm.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'kustomize.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'source.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
};

/** API groups whose schema is a CRD of ours, by file. */
const OWN_CRDS: Record<string, string> = {
  'flagger.app': 'flagger.yaml',
  'terraform.core.oam.dev': 'terraform.yaml',
  'serving.knative.dev': 'knative-serving.yaml',
};

const CRD_DIR = join(import.meta.dirname, '..', 'fixtures', 'crds');

function modelPath(group: string, version: string, kind: string): string {
  if (!group) return `kubernetes-models/${version}/${kind}`;
  const pkg = PACKAGES[group];
  return pkg ? `${pkg}/${group}/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
}

const crdChecks = new Map<string, Promise<Check | undefined>>();

/** Every object schema with properties gets `additionalProperties: false`, unless it preserves unknown fields. */
function closed(schema: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...schema };
  const props = schema.properties as Record<string, Record<string, unknown>> | undefined;
  if (props) {
    out.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, closed(v)]));
    if (!schema['x-kubernetes-preserve-unknown-fields'] && schema.additionalProperties === undefined) out.additionalProperties = false;
  }
  if (schema.items && typeof schema.items === 'object') out.items = closed(schema.items as Record<string, unknown>);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') out.additionalProperties = closed(schema.additionalProperties as Record<string, unknown>);
  return out;
}

async function crdCheck(group: string, version: string, kind: string): Promise<Check | undefined> {
  const file = OWN_CRDS[group];
  if (!file) return undefined;
  const key = `${group}/${version}/${kind}`;
  let check = crdChecks.get(key);
  if (!check) {
    check = (async () => {
      const docs = parseAllDocuments(readFileSync(join(CRD_DIR, file), 'utf8')).map((d) => d.toJS() as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
      const crd = docs.find((d) => d.kind === 'CustomResourceDefinition' && d.spec.group === group && d.spec.names.kind === kind);
      const schema = crd?.spec.versions.find((v: { name: string }) => v.name === version)?.schema?.openAPIV3Schema;
      if (!schema) return undefined;
      const { Ajv } = (await import('ajv')) as unknown as { Ajv: new (o: object) => { compile(s: object): ((x: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] } } };
      const validate = new Ajv({ allErrors: true, strict: false }).compile(closed(schema));
      return (obj) => (validate(obj) ? undefined : validate.errors!.map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; '));
    })();
    crdChecks.set(key, check);
  }
  return check;
}

export async function k8sProblems(obj: Record<string, unknown>): Promise<string[]> {
  const apiVersion = String(obj.apiVersion ?? '');
  const kind = String(obj.kind ?? '');
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
  const name = String((obj.metadata as { name?: string } | undefined)?.name);
  const own = await crdCheck(group, version, kind);
  if (own) {
    const problem = own(structuredClone(obj));
    return problem ? [`${apiVersion} ${kind} ${name}: ${problem}`] : [];
  }
  let Model: Model;
  try {
    const mod = (await import(modelPath(group, version, kind))) as Record<string, Model>;
    Model = mod[kind]!;
    if (!Model) return [`no schema for ${apiVersion} ${kind}`];
  } catch {
    return [`no schema for ${apiVersion} ${kind}`];
  }
  try {
    new Model(structuredClone(obj)).validate();
    return [];
  } catch (e) {
    return [`${apiVersion} ${kind} ${name}: ${(e as Error).message}`];
  }
}
