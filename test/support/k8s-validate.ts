/**
 * Validates rendered objects against the Kubernetes OpenAPI schemas, offline,
 * with the `kubernetes-models` package (one class per apiVersion/kind).
 */
export async function k8sProblems(obj: Record<string, unknown>): Promise<string[]> {
  const apiVersion = String(obj.apiVersion ?? '');
  const kind = String(obj.kind ?? '');
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const path = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  let Model: new (o: unknown) => { validate(): void };
  try {
    const mod = (await import(path)) as Record<string, new (o: unknown) => { validate(): void }>;
    Model = mod[kind]!;
    if (!Model) return [`no schema for ${apiVersion} ${kind}`];
  } catch {
    return [`no schema for ${apiVersion} ${kind}`];
  }
  try {
    new Model(structuredClone(obj)).validate();
    return [];
  } catch (e) {
    return [`${apiVersion} ${kind} ${String((obj.metadata as { name?: string } | undefined)?.name)}: ${(e as Error).message}`];
  }
}
