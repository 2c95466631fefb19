/**
 * Which compose services others reach by name. On a compose network every
 * container reaches every port of the others by service name; in Kubernetes
 * only a Service makes a name reachable, and a Service needs a port. A service
 * counts as reached when another one depends on it, links to it, or names it
 * as a host in its environment, command or entrypoint
 * (`DATABASE_URL: postgres://db:5432/app`, `REDIS_HOST: cache`).
 */
import type { LEntry, LNode } from '../yaml-tree.js';

/** Ports common images listen on, for a reached service that declares none. */
const wellKnownPorts: Record<string, number> = {
  postgres: 5432,
  postgis: 5432,
  mysql: 3306,
  mariadb: 3306,
  redis: 6379,
  valkey: 6379,
  mongo: 27017,
  rabbitmq: 5672,
  memcached: 11211,
  elasticsearch: 9200,
  nats: 4222,
  minio: 9000,
};

/** The image's repository name (`docker.io/library/postgres:16` → `postgres`) and the port it listens on, if known. */
export function wellKnownPort(image: string | undefined): { repo: string; port: number } | undefined {
  const repo = (image ?? '').split('/').at(-1)?.split(/[:@]/)[0] ?? '';
  const port = wellKnownPorts[repo];
  return port === undefined ? undefined : { repo, port };
}

const referenceKeys = ['depends_on', 'links', 'environment', 'command', 'entrypoint'];

/** Service name → the first other service (in file order) that reaches it by name. */
export function reachedByName(services: readonly LEntry[]): Map<string, string> {
  const names = services.map((s) => s.key);
  const out = new Map<string, string>();
  for (const from of services) {
    if (from.value.kind !== 'map') continue;
    const texts: string[] = [];
    for (const e of from.value.entries) {
      if (!referenceKeys.includes(e.key)) continue;
      // depends_on's long form names services as keys.
      if (e.key === 'depends_on' && e.value.kind === 'map') texts.push(...e.value.entries.map((d) => d.key));
      collectStrings(e.value, texts);
    }
    for (const name of names) {
      if (name === from.key || out.has(name)) continue;
      const host = new RegExp(`(^|[^A-Za-z0-9_.-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_-])`);
      if (texts.some((t) => host.test(t))) out.set(name, from.key);
    }
  }
  return out;
}

function collectStrings(n: LNode, out: string[]): void {
  if (n.kind === 'scalar') {
    if (typeof n.value === 'string') out.push(n.value);
  } else if (n.kind === 'seq') for (const it of n.items) collectStrings(it, out);
  else for (const e of n.entries) collectStrings(e.value, out);
}
