/**
 * Kubernetes name rules. App, namespace and service names become object names
 * and label values, so they must be DNS-1123 labels (RFC 1123, as Kubernetes
 * checks them): at most 63 characters of [a-z0-9-], starting and ending with
 * a letter or digit.
 */
const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `name` is not a DNS-1123 label, or undefined when it is one. */
export function dns1123LabelProblem(name: string): string | undefined {
  if (name === '') return 'must not be empty';
  if (name.length > 63) return `must be at most 63 characters (it has ${name.length})`;
  if (!label.test(name)) {
    return 'must consist of lowercase letters, digits and "-", and start and end with a letter or digit';
  }
  return undefined;
}

/** A valid label close to `name` (for hints), or undefined when none can be made. */
export function suggestLabel(name: string): string | undefined {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return s !== '' && s !== name && label.test(s) ? s : undefined;
}
