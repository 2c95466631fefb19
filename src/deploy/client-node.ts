/**
 * `@kubernetes/client-node`, loaded on first use. Loading it takes about 0.7 s
 * of CPU (hundreds of modules); commands that never reach a cluster
 * (`vela dry-run`, `vela show`, `vela def render`) must not pay for it just
 * because they share modules with those that do. Types come from a type-only
 * import, which costs nothing at run time.
 */
type ClientNode = typeof import('@kubernetes/client-node');

let loading: Promise<ClientNode> | undefined;

export function clientNode(): Promise<ClientNode> {
  return (loading ??= import('@kubernetes/client-node'));
}
