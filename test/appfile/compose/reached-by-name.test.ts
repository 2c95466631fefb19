/**
 * Compose networking reaches every service by name; Kubernetes only through a
 * Service. A service others name (depends_on, links, a host in environment or
 * command) gets a Service on its image's well-known port; one with no known
 * port is a warning; services behind inactive profiles are named.
 */
import { describe, expect, it } from 'vitest';
import { parseComposeFile } from '../../../src/appfile/compose/index.js';
import { reachedByName, wellKnownPort } from '../../../src/appfile/compose/reached-by-name.js';
import { parseYamlTree } from '../../../src/appfile/yaml-tree.js';
import { formatDiagnosticLine, SourceFile } from '../../../src/source/index.js';

const parse = (text: string, profiles: string[] = []) => parseComposeFile(new SourceFile('compose.yaml', text), { dir: '/p/shop', env: () => undefined, profiles });
const services = (text: string) => {
  const root = parseYamlTree(new SourceFile('compose.yaml', text)).root!;
  const s = root.kind === 'map' ? root.entries.find((e) => e.key === 'services')!.value : undefined;
  return s?.kind === 'map' ? s.entries : [];
};

describe('reached by name', () => {
  it('finds names used as hosts in environment, command and links, not as parts of other words', () => {
    const text = [
      'services:',
      '  api:',
      '    image: api',
      '    environment: [DATABASE_URL=postgres://db:5432/app, "CACHE=cache"]',
      '    command: ["wait-for", "queue:5672"]',
      '  worker:',
      '    image: worker',
      '    links: [search]',
      '    environment: {NOTE: "the dbx database and search-engine-v2"}',
      '  db: {image: postgres}',
      '  cache: {image: redis}',
      '  queue: {image: rabbitmq}',
      '  search: {image: elasticsearch}',
      '  dbx: {image: x}',
      '',
    ].join('\n');
    expect([...reachedByName(services(text))].sort()).toEqual([
      ['cache', 'api'],
      ['db', 'api'],
      ['queue', 'api'],
      ['search', 'worker'],
      // "the dbx database": a word of its own, so a host name too.
      ['dbx', 'worker'],
    ].sort());
    expect(wellKnownPort('docker.io/library/postgres:16-alpine')).toEqual({ repo: 'postgres', port: 5432 });
    expect(wellKnownPort('ghcr.io/me/app:1')).toBeUndefined();
  });

  it('gives a reached service with a known image a Service port, and warns about one without', () => {
    const r = parse(['services:', '  web:', '    image: web', '    ports: ["80"]', '    environment: {DB: "mysql://db/app", Q: "amqp://mq"}', '  db:', '    image: mysql:8', '  mq:', '    image: ghcr.io/me/queue:1', '  lone:', '    image: redis', ''].join('\n'));
    const db = r.raw!.services.find((s) => s.name === 'db')!;
    expect(db.type).toBe('webservice');
    expect(db.params.find((p) => p.key === 'ports')?.value).toEqual([{ port: 3306, expose: true }]);
    // Nobody names the lone redis: no port, no Service, no warning.
    expect(r.raw!.services.find((s) => s.name === 'lone')!.type).toBe('worker');
    expect(r.diagnostics.map(formatDiagnosticLine)).toEqual([
      'compose.yaml:7:5: services.db: service "db" has no ports, but "web" reaches it by name: it gets a Service on port 3306, the port mysql listens on',
      'compose.yaml:8:3: service "mq" has no ports: "web" reaches it by name, but other services cannot reach it by name in Kubernetes',
    ]);
  });

  it('names the services left out by inactive profiles', () => {
    const text = ['services:', '  app: {image: app}', '  debug: {image: busybox, profiles: [debug]}', '  admin: {image: adminer, profiles: [tools, debug]}', ''].join('\n');
    expect(parse(text).diagnostics.map(formatDiagnosticLine)).toEqual(['compose.yaml:1:1: services "debug", "admin" are left out: their profiles (debug, tools) are not active']);
    expect(parse(text, ['debug']).diagnostics).toEqual([]);
  });
});
