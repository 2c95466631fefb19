/**
 * Realistic compose files (test/fixtures/compose) render to valid Kubernetes
 * objects through `vela dry-run`'s pipeline, with their warnings at the line
 * and column of the key that caused them.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { dryRun } from '../../../src/pipeline/dry-run.js';
import { formatDiagnosticLine, type Diagnostic } from '../../../src/source/index.js';
import type { JsonObject } from '../../../src/appfile/model.js';
import { memoryEnvironment } from '../../../src/host/index.js';
import { k8sProblems } from '../../support/k8s-validate.js';

const root = join(import.meta.dirname, '../../..');
const environment = memoryEnvironment({ API_KEY: 'k-123', REGION: 'eu-west-1' });

async function render(file: string, extra: Partial<Parameters<typeof dryRun>[0]> = {}) {
  const r = await dryRun({ cwd: root, file: `test/fixtures/compose/${file}`, velaHome: join(root, 'test/render/fixtures/no-home'), environment, ...extra });
  const problems = (await Promise.all(r.rendered.manifests.map((m) => k8sProblems(m.object)))).flat();
  return { ...r, problems, kinds: r.rendered.manifests.map((m) => `${m.origin.service}/${m.object.kind}`) };
}

/** `line:col path: message` without the file name, which every fixture repeats. */
const where = (ws: readonly Diagnostic[]) => ws.map((w) => formatDiagnosticLine(w).replace(/^test\/fixtures\/compose\/[^:]+:/, ''));

function workload(r: Awaited<ReturnType<typeof render>>, service: string): JsonObject {
  return r.rendered.manifests.find((m) => m.origin.service === service && !m.origin.trait && !m.origin.outputName)!.object;
}
function container(r: Awaited<ReturnType<typeof render>>, service: string): JsonObject {
  const w = workload(r, service) as { spec: { template?: { spec: { containers: JsonObject[] } }; jobTemplate?: unknown } };
  return w.spec.template!.spec.containers[0]!;
}

describe('compose fixtures', () => {
  it('web + postgres + redis: ports become Services on the container port, named volumes claims, healthchecks probes', async () => {
    const r = await render('web-db-redis/compose.yaml');
    expect(r.problems).toEqual([]);
    expect(r.rendered.name).toBe('shop');
    // The cache declares no port, but web reaches it by name: redis's port gets a Service, as compose networking implies.
    expect(r.kinds).toEqual(['web/Deployment', 'web/Service', 'db/Deployment', 'db/Service', 'db/PersistentVolumeClaim', 'cache/Deployment', 'cache/Service', 'cache/PersistentVolumeClaim']);
    expect(where(r.warnings)).toEqual(['34:5: services.cache: service "cache" has no ports, but "web" reaches it by name: it gets a Service on port 6379, the port redis listens on']);
    expect(r.warnings[0]!.hint).toContain('expose: ["6379"]');
    const cacheSvc = r.rendered.manifests.find((m) => m.origin.service === 'cache' && m.object.kind === 'Service')!.object as { spec: { ports: JsonObject[] } };
    expect(cacheSvc.spec.ports).toEqual([{ name: 'port-6379', port: 6379, targetPort: 6379, protocol: 'TCP' }]);
    const svc = r.rendered.manifests.find((m) => m.origin.service === 'web' && m.object.kind === 'Service')!.object as { spec: { ports: JsonObject[] } };
    expect(svc.spec.ports).toEqual([{ name: 'port-80', port: 80, targetPort: 80, protocol: 'TCP' }]);
    const db = container(r, 'db') as { readinessProbe: JsonObject; livenessProbe: JsonObject; env: JsonObject[] };
    expect(db.readinessProbe).toMatchObject({ exec: { command: ['/bin/sh', '-c', 'pg_isready -U shop'] }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 10, initialDelaySeconds: 10 });
    expect(db.livenessProbe).toEqual(db.readinessProbe);
    expect(db.env).toContainEqual({ name: 'POSTGRES_PASSWORD', value: 'secret' });
    expect(container(r, 'cache').args).toEqual(['redis-server', '--appendonly', 'yes']);
    const claim = r.rendered.manifests.find((m) => m.object.kind === 'PersistentVolumeClaim')!.object as { metadata: { name: string } };
    expect(claim.metadata.name).toBe('shop-db-data');
    const order = r.rendered.services.map((s) => `${s.name}<-${s.dependsOn.join(',')}`);
    expect(order).toContain('web<-db,cache');
  });

  it('a worker queue: replicas, entrypoint/command, and restart on-failure:3 without ports as a Job', async () => {
    const r = await render('worker-queue/docker-compose.yml');
    expect(r.problems).toEqual([]);
    expect(r.rendered.name).toBe('worker-queue'); // no `name:`: the folder
    expect(r.kinds).toEqual(['broker/Deployment', 'broker/Service', 'worker/Deployment', 'seed/Job']);
    expect(r.warnings).toEqual([]);
    expect((workload(r, 'worker') as { spec: { replicas: number } }).spec.replicas).toBe(3);
    expect(container(r, 'worker').args).toEqual(['python', '-m', 'worker', '--queue', 'emails']);
    const job = workload(r, 'seed') as { spec: { backoffLimit: number; template: { spec: { restartPolicy: string; containers: JsonObject[] } } } };
    expect(job.spec.backoffLimit).toBe(3);
    expect(job.spec.template.spec.restartPolicy).toBe('OnFailure');
    expect(job.spec.template.spec.containers[0]).toMatchObject({ command: ['/usr/local/bin/seed'], args: ['--count', '100'] });
    const broker = r.rendered.manifests.find((m) => m.origin.service === 'broker' && m.object.kind === 'Service')!.object as { spec: { ports: { port: number }[] } };
    expect(broker.spec.ports.map((p) => p.port)).toEqual([15672, 5672]);
  });

  it('a static site built from a Dockerfile: build section, computed tag, unsupported build keys warned', async () => {
    const r = await render('static-site/compose.yaml');
    expect(r.problems).toEqual([]);
    expect(where(r.warnings)).toEqual([
      "12:7: services.site.build: build.cache_from is not supported by vela's builder; ignored",
      '17:5: services.preview: no image name for the build: the image is called "docs-preview"',
    ]);
    expect(r.unbuilt.map((u) => u.service)).toEqual(['site', 'preview']);
    expect(String(container(r, 'site').image)).toMatch(/^localhost:5000\/docs\/site:/);
    expect(String(container(r, 'preview').image)).toMatch(/^docs-preview:/);
  });

  it('healthchecks: CMD, a shell string, durations in Go syntax, and disable', async () => {
    const r = await render('healthchecks/compose.yaml');
    expect(r.problems).toEqual([]);
    expect(where(r.warnings)).toEqual(['12:7: services.api.healthcheck: healthcheck.start_interval has no Kubernetes equivalent; ignored']);
    expect(container(r, 'api').readinessProbe).toMatchObject({ exec: { command: ['curl', '-fsS', 'http://localhost:8000/healthz'] }, periodSeconds: 90, timeoutSeconds: 3, failureThreshold: 5, initialDelaySeconds: 40 });
    expect(container(r, 'search').livenessProbe).toMatchObject({ exec: { command: ['/bin/sh', '-c', `curl -s http://localhost:9200/_cluster/health | grep -vq '"status":"red"'`] }, periodSeconds: 30, timeoutSeconds: 30 });
    expect(container(r, 'legacy').readinessProbe).toBeUndefined();
    expect(container(r, 'search').env).toContainEqual({ name: 'discovery.type', value: 'single-node' });
  });

  it('configs and secrets from files, content and the environment become ConfigMaps and Secrets mounted at their targets', async () => {
    const r = await render('configs-secrets/compose.yaml');
    expect(r.problems).toEqual([]);
    expect(where(r.warnings)).toEqual(['16:9: services.nginx.secrets: secrets.uid has no Kubernetes meaning here; ignored']);
    expect(r.kinds).toEqual(['nginx/Deployment', 'nginx/Service', 'nginx/ConfigMap', 'nginx/ConfigMap', 'nginx/Secret', 'nginx/Secret', 'app/Deployment', 'app/Service']);
    const cm = r.rendered.manifests.find((m) => m.object.kind === 'ConfigMap')!.object as { metadata: { name: string }; data: Record<string, string> };
    expect(cm.metadata.name).toBe('proxy-nginx-conf');
    expect(cm.data['nginx.conf']).toContain('proxy_pass http://app:8080;');
    const mounts = container(r, 'nginx').volumeMounts as JsonObject[];
    expect(mounts).toContainEqual({ name: 'configmap-proxy-nginx-conf', mountPath: '/etc/nginx/conf.d/default.conf', subPath: 'nginx.conf' });
    expect(mounts).toContainEqual({ name: 'secret-proxy-api-key', mountPath: '/run/secrets/api.key', subPath: 'api_key' });
    const vols = (workload(r, 'nginx') as { spec: { template: { spec: { volumes: { name: string; configMap?: { defaultMode: number } }[] } } } }).spec.template.spec.volumes;
    expect(vols.find((v) => v.name === 'configmap-proxy-nginx-conf')!.configMap!.defaultMode).toBe(0o440);
    const apiKey = r.rendered.manifests.filter((m) => m.object.kind === 'Secret').map((m) => m.object.stringData);
    expect(apiKey).toContainEqual({ api_key: 'k-123' });
    // The second service mounts the Secret the first one created.
    expect(r.rendered.manifests.filter((m) => m.object.kind === 'Secret' && (m.object.metadata as { name: string }).name === 'proxy-api-key')).toHaveLength(1);
    expect(container(r, 'app').volumeMounts).toEqual([{ name: 'secret-proxy-api-key', mountPath: '/run/secrets/api_key', subPath: 'api_key' }]);
  });

  it('profiles: services with profiles are off unless one is active', async () => {
    const off = await render('profiles/compose.yaml');
    expect(off.problems).toEqual([]);
    expect(off.kinds).toEqual(['app/Deployment', 'app/Service', 'db/Deployment', 'db/Service']);
    expect(where(off.warnings)).toEqual([
      expect.stringMatching(/^\d+:1: services "mailcatcher", "adminer" are left out: their profiles \(debug, tools\) are not active$/),
      '7:9: services.app.depends_on: depends on "mailcatcher", which is off (its profiles are not active); the dependency is dropped',
    ]);
    const on = await render('profiles/compose.yaml', { profiles: ['debug'] });
    expect(on.problems).toEqual([]);
    expect(on.kinds).toEqual(['app/Deployment', 'app/Service', 'db/Deployment', 'db/Service', 'mailcatcher/Deployment', 'mailcatcher/Service', 'adminer/Deployment', 'adminer/Service']);
    expect(on.warnings).toEqual([]);
    const viaEnv = await render('profiles/compose.yaml', { environment: memoryEnvironment({ COMPOSE_PROFILES: 'tools' }) });
    expect(viaEnv.kinds).toContain('adminer/Deployment');
    expect(viaEnv.kinds).not.toContain('mailcatcher/Deployment');
  });

  it('env_file and interpolation from the environment and .env (the environment wins), $$ and defaults', async () => {
    const r = await render('env-interpolation/compose.yaml', { environment: memoryEnvironment({ REGION: 'eu-west-1', LOG_LEVEL: '' }) });
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.rendered.name).toBe('billing');
    const c = container(r, 'api');
    expect(c.image).toBe('ghcr.io/example/billing:2024.06.1');
    expect(c.env).toEqual([
      { name: 'DATABASE_URL', value: 'postgres://billing@db/billing' },
      { name: 'FEATURE_FLAGS', value: 'invoices,refunds' },
      { name: 'QUOTED', value: 'a b' },
      { name: 'LOG_LEVEL', value: '' }, // ${LOG_LEVEL-info}: set but empty keeps the empty value
      { name: 'STRIPE_KEY', value: 'sk_test_123' },
      { name: 'PRICE_TEMPLATE', value: '${amount} EUR' },
      { name: 'REGION', value: 'eu-west-1' },
    ]);
    const fromEnv = await render('env-interpolation/compose.yaml', { environment: memoryEnvironment({ TAG: 'v9', PROJECT: 'billing-eu' }) });
    expect(container(fromEnv, 'api').image).toBe('ghcr.io/example/billing:v9');
    expect(fromEnv.rendered.name).toBe('billing-eu');
    expect(where(fromEnv.warnings)).toEqual(['13:7: services.api: REGION has no value and is not set in the environment; left out']);
  });

  it('long-syntax ports, UDP, ranges and host addresses', async () => {
    const r = await render('long-ports/compose.yaml');
    expect(r.problems).toEqual([]);
    expect(where(r.warnings)).toEqual([
      '10:9: host_ip has no Kubernetes meaning: the port is reachable by every pod of the cluster through the Service',
      '13:9: the host address 127.0.0.1 has no Kubernetes meaning: the port is reachable by every pod of the cluster through the Service',
    ]);
    const svc = r.rendered.manifests.find((m) => m.object.kind === 'Service')!.object as { spec: { ports: { name: string; port: number; protocol: string }[] } };
    expect(svc.spec.ports.map((p) => `${p.name}:${p.port}/${p.protocol}`)).toEqual([
      'port-10000:10000/TCP',
      'admin:9901/TCP',
      'port-53-udp:53/UDP',
      'port-7000:7000/TCP',
      'port-7001:7001/TCP',
      'port-7002:7002/TCP',
      'port-8443:8443/TCP',
    ]);
  });

  it('deploy: replicas, resources (reservations are requests, limits limits), the older cpus/mem_limit/scale, mode global', async () => {
    const r = await render('deploy-resources/compose.yaml');
    expect(r.problems).toEqual([]);
    expect(r.kinds).toEqual(['ingest/Deployment', 'ingest/Service', 'aggregator/Deployment', 'node-agent/DaemonSet']);
    expect(where(r.warnings)).toEqual(['15:7: services.ingest: deploy.update_config has no Kubernetes meaning here; ignored']);
    expect((workload(r, 'ingest') as { spec: { replicas: number } }).spec.replicas).toBe(4);
    expect(container(r, 'ingest').resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1500m', memory: '1Gi' } });
    expect((workload(r, 'aggregator') as { spec: { replicas: number } }).spec.replicas).toBe(2);
    expect(container(r, 'aggregator').resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(container(r, 'node-agent').resources).toMatchObject({ limits: { memory: '128Mi' } });
  });

  it('keys without a Kubernetes meaning: one warning each, at its line and column', async () => {
    const r = await render('unsupported-keys/docker-compose.yml');
    expect(r.problems).toEqual([]);
    expect(where(r.warnings)).toEqual([
      '1:1: `version` is obsolete in the Compose Specification and ignored',
      '5:5: services.legacy: container_name has no Kubernetes meaning here; ignored',
      '6:5: services.legacy: hostname has no Kubernetes meaning here; ignored',
      '7:5: services.legacy: privileged has no Kubernetes meaning here; ignored',
      '8:5: services.legacy: cap_add has no Kubernetes meaning here; ignored',
      '10:5: services.legacy: stdin_open has no Kubernetes meaning here; ignored',
      '11:5: services.legacy: tty has no Kubernetes meaning here; ignored',
      '12:5: services.legacy: networks has no Kubernetes meaning here; ignored',
      '14:5: services.legacy: logging has no Kubernetes meaning here; ignored',
      '16:5: services.legacy: working_dir has no Kubernetes meaning here; ignored',
      '19:7: services.legacy.labels: label "com.example.description" is not a valid Kubernetes label value; added as an annotation',
      '23:7: services.legacy: deploy.placement has no Kubernetes meaning here; ignored',
      '25:1: networks have no Kubernetes meaning here: every pod can reach the Services of its namespace; ignored',
    ]);
    expect(r.warnings.every((w) => w.severity === 'warning')).toBe(true);
    const meta = workload(r, 'legacy').metadata as { labels: Record<string, string>; annotations: Record<string, string> };
    expect(meta.labels['com.example.team']).toBe('payments');
    expect(meta.annotations['com.example.description']).toBe('Legacy billing app');
  });

  it('volumes: a shared claim is created once, external claims only mounted, anonymous volumes and tmpfs are emptyDirs', async () => {
    const r = await render('volumes-tmpfs/compose.yaml');
    expect(r.problems).toEqual([]);
    expect(r.kinds).toEqual(['uploader/Deployment', 'uploader/Service', 'uploader/PersistentVolumeClaim', 'thumbnailer/Deployment']);
    expect(where(r.warnings)).toEqual([
      '19:9: services.thumbnailer.volumes: volume "uploads" is shared with service "uploader": a ReadWriteOnce claim can be mounted by pods of one node only',
      '19:9: services.thumbnailer.volumes: read-only mounts of a claim are mounted read-write (the storage trait has no readOnly for claims)',
    ]);
    const vols = (workload(r, 'uploader') as { spec: { template: { spec: { volumes: JsonObject[] } } } }).spec.template.spec.volumes;
    expect(vols).toContainEqual({ name: 'pvc-team-cache', persistentVolumeClaim: { claimName: 'team-cache' } });
    expect(vols).toContainEqual({ name: 'emptydir-tmpfs-run', emptyDir: { medium: 'Memory' } });
    expect(container(r, 'uploader').volumeMounts).toContainEqual({ name: 'pvc-team-cache', mountPath: '/var/cache/app', subPath: 'uploader' });
    expect(container(r, 'thumbnailer').imagePullPolicy).toBe('Always');
    expect((workload(r, 'thumbnailer') as { spec: { template: { spec: { hostAliases: unknown } } } }).spec.template.spec.hostAliases).toEqual([{ ip: '169.254.169.254', hostnames: ['metadata.internal'] }]);
  });
});
