/**
 * Fixtures for the built-in definitions: realistic parameters for every
 * definition, with assertions on the key fields of what it produces. Run by
 * oracle.test.ts against real CUE; the same cases can be run by vela's own
 * engine (see harness.ts).
 */
import { expect } from 'vitest';
import { envFilesCases } from './cases-env-files.js';
import { talkTraitCases } from './cases-talk.js';
import { kubevelaStatusCases, kubevelaTraitCases } from './cases-kubevela.js';
import { observeCases } from './cases-canary.js';
import { CLUSTER_1_28, type ComponentCase, type DefinitionCase, type JsonObject, type TemplateResult, type TraitCase, type StatusCase } from './harness.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const podSpec = (r: TemplateResult): Any => (r.output as Any).spec.template.spec;
const container = (r: TemplateResult): Any => podSpec(r).containers[0];
const patchedContainers = (r: TemplateResult): Any[] => (r.patch as Any).spec.template.spec.containers;
const cronPatchedPod = (r: TemplateResult): Any => (r.patch as Any).spec.jobTemplate.spec.template.spec;

const webBase: TraitCase['base'] = { definition: 'webservice', parameter: { image: 'localhost:5000/shop/web:v1', port: 8080 } };
const webWithEnv: TraitCase['base'] = {
  definition: 'webservice',
  parameter: {
    image: 'localhost:5000/shop/web:v1',
    env: [
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'OLD', value: 'x' },
    ],
    args: ['--port', '8080', '--verbose'],
  },
};
const cronBase: TraitCase['base'] = { definition: 'cron-task', service: 'report', parameter: { image: 'busybox:1.36', schedule: '0 * * * *' } };

const components: ComponentCase[] = [
  {
    kind: 'component',
    title: 'webservice: ports, env, resources, volumes, probes and an exposed Service',
    definition: 'webservice',
    parameter: {
      image: 'localhost:5000/shop/frontend:v1',
      imagePullPolicy: 'IfNotPresent',
      imagePullSecrets: ['regcred'],
      ports: [
        { port: 80, containerPort: 8080, expose: true },
        { port: 9090, name: 'metrics' },
        { port: 5353, protocol: 'UDP', expose: true },
      ],
      cmd: ['node'],
      args: ['server.js'],
      env: [
        { name: 'NODE_ENV', value: 'production' },
        { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'api', key: 'key' } } },
      ],
      cpu: '250m',
      memory: '256Mi',
      limit: { cpu: '1' },
      labels: { tier: 'frontend' },
      annotations: { 'prometheus.io/scrape': 'true' },
      addRevisionLabel: true,
      volumeMounts: {
        configMap: [{ name: 'conf', mountPath: '/etc/app', cmName: 'frontend-conf' }],
        emptyDir: [
          { name: 'cache', mountPath: '/cache' },
          { name: 'cache', mountPath: '/tmp/cache', subPath: 'tmp' },
        ],
        pvc: [{ name: 'data', mountPath: '/data', claimName: 'frontend-data' }],
      },
      livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 5 },
      readinessProbe: { tcpSocket: { port: 8080 } },
      hostAliases: [{ ip: '10.0.0.1', hostnames: ['db.local'] }],
    },
    check: (r) => {
      const d = r.output as Any;
      expect(d.apiVersion).toBe('apps/v1');
      expect(d.kind).toBe('Deployment');
      expect(d.metadata.name).toBe('web');
      expect(d.spec.selector.matchLabels).toEqual({ 'app.oam.dev/component': 'web' });
      expect(d.spec.template.metadata.labels).toEqual({
        tier: 'frontend',
        'app.oam.dev/revision': 'shop-v3',
        'app.oam.dev/name': 'shop',
        'app.oam.dev/component': 'web',
      });
      expect(d.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
      const c = container(r);
      expect(c.name).toBe('web');
      expect(c.image).toBe('localhost:5000/shop/frontend:v1');
      expect(c.imagePullPolicy).toBe('IfNotPresent');
      expect(c.command).toEqual(['node']);
      expect(c.args).toEqual(['server.js']);
      expect(c.ports).toEqual([
        { name: 'port-8080', containerPort: 8080, protocol: 'TCP' },
        { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
        { name: 'port-5353-udp', containerPort: 5353, protocol: 'UDP' },
      ]);
      expect(c.env[1]).toEqual({ name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'api', key: 'key' } } });
      expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '256Mi' } });
      expect(c.volumeMounts).toEqual([
        { name: 'data', mountPath: '/data' },
        { name: 'conf', mountPath: '/etc/app' },
        { name: 'cache', mountPath: '/cache' },
        { name: 'cache', mountPath: '/tmp/cache', subPath: 'tmp' },
      ]);
      expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 5, periodSeconds: 10 });
      expect(c.readinessProbe.tcpSocket).toEqual({ port: 8080 });
      const pod = podSpec(r);
      expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }]);
      expect(pod.hostAliases).toEqual([{ ip: '10.0.0.1', hostnames: ['db.local'] }]);
      // One volume per name, even when mounted twice.
      expect(pod.volumes).toEqual([
        { name: 'data', persistentVolumeClaim: { claimName: 'frontend-data' } },
        { name: 'conf', configMap: { name: 'frontend-conf', defaultMode: 420 } },
        { name: 'cache', emptyDir: { medium: '' } },
      ]);
      const svc = r.outputs!['webserviceExpose'] as Any;
      expect(svc.kind).toBe('Service');
      expect(svc.metadata.name).toBe('web');
      expect(svc.spec.type).toBe('ClusterIP');
      expect(svc.spec.selector).toEqual({ 'app.oam.dev/component': 'web' });
      expect(svc.spec.ports).toEqual([
        { name: 'port-8080', port: 80, targetPort: 8080, protocol: 'TCP' },
        { name: 'port-5353-udp', port: 5353, targetPort: 5353, protocol: 'UDP' },
      ]);
    },
  },
  {
    kind: 'component',
    title: 'webservice: the deprecated port makes a container port but no Service',
    definition: 'webservice',
    parameter: { image: 'nginx:1.25', port: 80 },
    check: (r) => {
      expect(container(r).ports).toEqual([{ containerPort: 80 }]);
      expect(container(r).resources).toBeUndefined();
      expect(r.outputs ?? {}).toEqual({});
    },
  },
  {
    kind: 'component',
    title: 'webservice: NodePort exposure and the legacy volumes list',
    definition: 'webservice',
    parameter: {
      image: 'nginx:1.25',
      exposeType: 'NodePort',
      ports: [{ port: 80, expose: true, nodePort: 30080 }],
      volumes: [
        { name: 'scratch', mountPath: '/scratch' },
        { name: 'creds', mountPath: '/creds', type: 'secret', secretName: 'creds' },
      ],
    },
    check: (r) => {
      const svc = r.outputs!['webserviceExpose'] as Any;
      expect(svc.spec.type).toBe('NodePort');
      expect(svc.spec.ports[0].nodePort).toBe(30080);
      expect(podSpec(r).volumes).toEqual([
        { name: 'scratch', emptyDir: { medium: '' } },
        { name: 'creds', secret: { secretName: 'creds', defaultMode: 420 } },
      ]);
      expect(container(r).volumeMounts).toEqual([
        { name: 'scratch', mountPath: '/scratch' },
        { name: 'creds', mountPath: '/creds' },
      ]);
    },
  },
  {
    kind: 'component',
    title: 'worker: a Deployment without a Service',
    definition: 'worker',
    service: 'consumer',
    parameter: {
      image: 'localhost:5000/voting/worker:v2',
      cmd: ['python', 'worker.py'],
      env: [{ name: 'REDIS_HOST', value: 'redis' }],
      cpu: '0.5',
      volumeMounts: { secret: [{ name: 'tls', mountPath: '/tls', secretName: 'worker-tls' }] },
    },
    check: (r) => {
      const d = r.output as Any;
      expect(d.kind).toBe('Deployment');
      expect(d.metadata.name).toBe('consumer');
      expect(container(r)).toMatchObject({ name: 'consumer', image: 'localhost:5000/voting/worker:v2', command: ['python', 'worker.py'] });
      expect(container(r).ports).toBeUndefined();
      expect(container(r).resources).toEqual({ requests: { cpu: '0.5' }, limits: { cpu: '0.5' } });
      expect(podSpec(r).volumes).toEqual([{ name: 'tls', secret: { secretName: 'worker-tls', defaultMode: 420 } }]);
      expect(r.outputs ?? {}).toEqual({});
    },
  },
  {
    kind: 'component',
    title: 'task: a Job named <app>-<service> that runs to completion',
    definition: 'task',
    service: 'migrate',
    parameter: {
      image: 'localhost:5000/shop/migrate:v1',
      count: 2,
      restart: 'OnFailure',
      backoffLimit: 3,
      cmd: ['./migrate', 'up'],
      env: [{ name: 'DB_URL', valueFrom: { configMapKeyRef: { name: 'db', key: 'url' } } }],
      labels: { job: 'migrate' },
    },
    check: (r) => {
      const j = r.output as Any;
      expect(j.apiVersion).toBe('batch/v1');
      expect(j.kind).toBe('Job');
      expect(j.metadata.name).toBe('shop-migrate');
      expect(j.spec).toMatchObject({ parallelism: 2, completions: 2, backoffLimit: 3 });
      expect(j.spec.template.spec.restartPolicy).toBe('OnFailure');
      expect(j.spec.template.metadata.labels).toEqual({ job: 'migrate', 'app.oam.dev/name': 'shop', 'app.oam.dev/component': 'migrate' });
      expect(container(r)).toMatchObject({ name: 'migrate', command: ['./migrate', 'up'] });
      expect(j.spec.selector).toBeUndefined();
    },
  },
  {
    kind: 'component',
    title: 'cron-task: batch/v1beta1 CronJob on Kubernetes 1.20',
    definition: 'cron-task',
    service: 'report',
    parameter: {
      image: 'localhost:5000/batch/report:v1',
      schedule: '*/15 * * * *',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 120,
      ttlSecondsAfterFinished: 600,
      env: [{ name: 'OUT', value: '/reports' }],
      volumeMounts: { emptyDir: [{ name: 'out', mountPath: '/reports' }] },
    },
    check: (r) => {
      const cj = r.output as Any;
      expect(cj.apiVersion).toBe('batch/v1beta1');
      expect(cj.kind).toBe('CronJob');
      expect(cj.metadata.name).toBe('report');
      expect(cj.spec).toMatchObject({
        schedule: '*/15 * * * *',
        concurrencyPolicy: 'Forbid',
        suspend: false,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
        startingDeadlineSeconds: 120,
      });
      const job = cj.spec.jobTemplate.spec;
      expect(job).toMatchObject({ parallelism: 1, completions: 1, backoffLimit: 6, ttlSecondsAfterFinished: 600 });
      expect(job.template.spec.restartPolicy).toBe('Never');
      expect(job.template.spec.containers[0]).toMatchObject({ name: 'report', image: 'localhost:5000/batch/report:v1', env: [{ name: 'OUT', value: '/reports' }] });
      expect(job.template.spec.volumes).toEqual([{ name: 'out', emptyDir: { medium: '' } }]);
    },
  },
  {
    kind: 'component',
    title: 'cron-task: batch/v1 CronJob on Kubernetes 1.28',
    definition: 'cron-task',
    service: 'report',
    parameter: { image: 'busybox:1.36', schedule: '0 3 * * *', suspend: true },
    context: { clusterVersion: { ...CLUSTER_1_28 } },
    check: (r) => {
      expect((r.output as Any).apiVersion).toBe('batch/v1');
      expect((r.output as Any).spec.suspend).toBe(true);
    },
  },
  {
    kind: 'component',
    title: 'cron-task: batch/v1 from exactly Kubernetes 1.21',
    definition: 'cron-task',
    parameter: { image: 'busybox:1.36', schedule: '@daily' },
    context: { clusterVersion: { major: 1, minor: 21, gitVersion: 'v1.21.14' } },
    check: (r) => expect((r.output as Any).apiVersion).toBe('batch/v1'),
  },
  {
    kind: 'component',
    title: 'daemon: a DaemonSet with an exposed port',
    definition: 'daemon',
    service: 'agent',
    parameter: {
      image: 'localhost:5000/ops/agent:v1',
      ports: [{ port: 9100, name: 'metrics', expose: true }],
      volumeMounts: { hostPath: [{ name: 'proc', mountPath: '/host/proc', path: '/proc', readOnly: true, mountPropagation: 'HostToContainer' }] },
    },
    check: (r) => {
      const ds = r.output as Any;
      expect(ds.kind).toBe('DaemonSet');
      expect(ds.apiVersion).toBe('apps/v1');
      expect(container(r).ports).toEqual([{ name: 'metrics', containerPort: 9100, protocol: 'TCP' }]);
      expect(podSpec(r).volumes).toEqual([{ name: 'proc', hostPath: { path: '/proc' } }]);
      expect(container(r).volumeMounts).toEqual([{ name: 'proc', mountPath: '/host/proc', readOnly: true, mountPropagation: 'HostToContainer' }]);
      expect((r.outputs!['webserviceExpose'] as Any).spec.ports).toEqual([{ name: 'metrics', port: 9100, targetPort: 9100, protocol: 'TCP' }]);
    },
  },
  {
    kind: 'component',
    title: 'statefulset: a StatefulSet with its headless Service and an exposed Service',
    definition: 'statefulset',
    service: 'redis',
    parameter: {
      image: 'redis:7-alpine',
      ports: [{ port: 6379, expose: true }],
      args: ['--appendonly', 'yes'],
      memory: '128Mi',
    },
    check: (r) => {
      const st = r.output as Any;
      expect(st.kind).toBe('StatefulSet');
      expect(st.spec.serviceName).toBe('redis-headless');
      expect(container(r).args).toEqual(['--appendonly', 'yes']);
      expect(container(r).resources).toEqual({ requests: { memory: '128Mi' }, limits: { memory: '128Mi' } });
      const headless = r.outputs!['statefulsetHeadless'] as Any;
      expect(headless.metadata.name).toBe('redis-headless');
      expect(headless.spec.clusterIP).toBe('None');
      expect(headless.spec.ports).toEqual([{ name: 'port-6379', port: 6379, targetPort: 6379, protocol: 'TCP' }]);
      const svc = r.outputs!['statefulsetsExpose'] as Any;
      expect(svc.metadata.name).toBe('redis');
      expect(svc.spec.ports[0]).toMatchObject({ port: 6379, targetPort: 6379, protocol: 'TCP' });
    },
  },
  {
    kind: 'component',
    title: 'k8s-objects: the first object is the workload, the rest are outputs',
    definition: 'k8s-objects',
    service: 'raw',
    parameter: {
      objects: [
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'raw' }, spec: { selector: { matchLabels: { app: 'raw' } }, template: { metadata: { labels: { app: 'raw' } }, spec: { containers: [{ name: 'raw', image: 'nginx:1.25' }] } } } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raw-conf' }, data: { a: '1' } },
      ],
    },
    check: (r) => {
      expect((r.output as Any).kind).toBe('Deployment');
      expect(Object.keys(r.outputs!)).toEqual(['objects-1']);
      expect((r.outputs!['objects-1'] as Any).data).toEqual({ a: '1' });
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'component',
    title: 'k8s-objects: an empty list is a user error',
    definition: 'k8s-objects',
    parameter: { objects: [] },
    check: (r) => {
      expect(r.output).toBeUndefined();
      expect(r.errs).toHaveLength(1);
    },
  },
];

const traits: TraitCase[] = [
  {
    kind: 'trait',
    title: 'scaler: sets spec.replicas',
    definition: 'scaler',
    base: webBase,
    parameter: { replicas: 3 },
    check: (r) => expect(r.patch).toEqual({ spec: { replicas: 3 } }),
  },
  {
    kind: 'trait',
    title: 'gateway: an Ingress (networking.k8s.io/v1) and a Service for the routed port',
    definition: 'gateway',
    base: webBase,
    parameter: { domain: 'shop.example.com', http: { '/': 8080, '/static': 8080 }, secretName: 'shop-tls', annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' } },
    check: (r) => {
      const ing = r.outputs!['ingress'] as Any;
      expect(ing.apiVersion).toBe('networking.k8s.io/v1');
      expect(ing.kind).toBe('Ingress');
      expect(ing.metadata.name).toBe('web');
      expect(ing.metadata.annotations).toEqual({ 'kubernetes.io/ingress.class': 'nginx', 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' });
      expect(ing.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);
      expect(ing.spec.rules[0].host).toBe('shop.example.com');
      expect(ing.spec.rules[0].http.paths).toEqual([
        { path: '/', pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { number: 8080 } } } },
        { path: '/static', pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { number: 8080 } } } },
      ]);
      const svc = r.outputs!['service'] as Any;
      expect(svc.metadata.name).toBe('web');
      expect(svc.spec.ports).toEqual([{ name: 'port-8080', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'gateway: reuses the Service of exposed ports; class in spec',
    definition: 'gateway',
    base: { definition: 'webservice', parameter: { image: 'nginx:1.25', ports: [{ port: 80, expose: true }] } },
    parameter: { http: { '/': 80 }, class: 'traefik', classInSpec: true, pathType: 'Prefix' },
    check: (r) => {
      // No Service of its own: the component's Service "web" already serves the port.
      expect(Object.keys(r.outputs!)).toEqual(['ingress']);
      const ing = r.outputs!['ingress'] as Any;
      expect(ing.metadata.annotations).toEqual({});
      expect(ing.spec.ingressClassName).toBe('traefik');
      expect(ing.spec.rules[0].host).toBeUndefined();
      expect(ing.spec.rules[0].http.paths).toEqual([{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }]);
    },
  },
  {
    kind: 'trait',
    title: 'gateway: a named gateway has its own Ingress and Service',
    definition: 'gateway',
    base: webBase,
    parameter: { name: 'admin', domain: 'admin.example.com', http: { '/': 8081 } },
    check: (r) => {
      expect(Object.keys(r.outputs!).sort()).toEqual(['ingress-admin', 'service-admin']);
      expect((r.outputs!['ingress-admin'] as Any).metadata.name).toBe('web-admin');
      expect((r.outputs!['service-admin'] as Any).metadata.name).toBe('web-admin');
      expect((r.outputs!['ingress-admin'] as Any).spec.rules[0].http.paths[0].backend.service.name).toBe('web-admin');
    },
  },
  {
    kind: 'trait',
    title: 'gateway: networking.k8s.io/v1beta1 below Kubernetes 1.19',
    definition: 'gateway',
    base: webBase,
    parameter: { domain: 'old.example.com', http: { '/': 8080 } },
    context: { clusterVersion: { major: 1, minor: 18, gitVersion: 'v1.18.20' } },
    check: (r) => {
      const ing = r.outputs!['ingress'] as Any;
      expect(ing.apiVersion).toBe('networking.k8s.io/v1beta1');
      expect(ing.spec.rules[0].http.paths[0].backend).toEqual({ serviceName: 'web', servicePort: 8080 });
    },
  },
  {
    kind: 'trait',
    title: 'expose: a LoadBalancer Service for chosen ports',
    definition: 'expose',
    base: webBase,
    parameter: { ports: [{ port: 8080 }, { port: 8443, name: 'https' }], type: 'LoadBalancer', annotations: { 'lb/internal': 'true' } },
    check: (r) => {
      const svc = r.outputs!['service'] as Any;
      expect(svc.metadata).toEqual({ name: 'web', annotations: { 'lb/internal': 'true' } });
      expect(svc.spec.type).toBe('LoadBalancer');
      expect(svc.spec.selector).toEqual({ 'app.oam.dev/component': 'web' });
      expect(svc.spec.ports).toEqual([
        { name: 'port-8080', port: 8080, targetPort: 8080, protocol: 'TCP' },
        { name: 'https', port: 8443, targetPort: 8443, protocol: 'TCP' },
      ]);
    },
  },
  {
    kind: 'trait',
    title: 'expose: the older list of port numbers',
    definition: 'expose',
    base: webBase,
    parameter: { port: [8080, 9090] },
    check: (r) => {
      const svc = r.outputs!['service'] as Any;
      expect(svc.spec.type).toBe('ClusterIP');
      expect(svc.spec.ports.map((p: Any) => p.name)).toEqual(['port-8080', 'port-9090']);
    },
  },
  {
    kind: 'trait',
    title: 'hpa: autoscaling/v2beta2 on Kubernetes 1.20, targeting the workload',
    definition: 'hpa',
    base: webBase,
    parameter: { min: 2, max: 6, cpuUtil: 70, mem: { type: 'AverageValue', value: '300Mi' } },
    check: (r) => {
      const h = r.outputs!['hpa'] as Any;
      expect(h.apiVersion).toBe('autoscaling/v2beta2');
      expect(h.kind).toBe('HorizontalPodAutoscaler');
      expect(h.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
      expect(h.spec.minReplicas).toBe(2);
      expect(h.spec.maxReplicas).toBe(6);
      expect(h.spec.metrics).toEqual([
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '300Mi' } } },
      ]);
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'hpa: autoscaling/v2 on Kubernetes 1.28, a StatefulSet target, the cpu block',
    definition: 'hpa',
    base: { definition: 'statefulset', service: 'db', parameter: { image: 'postgres:16' } },
    parameter: { max: 4, cpu: { value: 60 } },
    context: { clusterVersion: { ...CLUSTER_1_28 } },
    check: (r) => {
      const h = r.outputs!['hpa'] as Any;
      expect(h.apiVersion).toBe('autoscaling/v2');
      expect(h.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' });
      expect(h.spec.minReplicas).toBe(1);
      expect(h.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }]);
    },
  },
  {
    kind: 'trait',
    title: 'hpa: the API switches at Kubernetes 1.23',
    definition: 'hpa',
    base: webBase,
    parameter: {},
    context: { clusterVersion: { major: 1, minor: 23, gitVersion: 'v1.23.0' } },
    check: (r) => {
      expect((r.outputs!['hpa'] as Any).apiVersion).toBe('autoscaling/v2');
      expect((r.outputs!['hpa'] as Any).spec).toMatchObject({ minReplicas: 1, maxReplicas: 10 });
    },
  },
  {
    kind: 'trait',
    title: 'hpa: min above max is a user error',
    definition: 'hpa',
    base: webBase,
    parameter: { min: 5, max: 2 },
    check: (r) => expect(r.errs).toEqual(['hpa: min (5) is greater than max (2)']),
  },
  {
    kind: 'trait',
    title: 'labels: workload and pod template, as a JSON merge patch',
    definition: 'labels',
    base: webBase,
    parameter: { team: 'checkout', legacy: null },
    check: (r) => {
      expect((r.patch as Any).metadata.labels).toEqual({ team: 'checkout', legacy: null });
      expect((r.patch as Any).spec.template.metadata.labels).toEqual({ team: 'checkout', legacy: null });
    },
  },
  {
    kind: 'trait',
    title: 'labels: a CronJob gets them on its jobs and pods too',
    definition: 'labels',
    base: cronBase,
    parameter: { owner: 'data' },
    check: (r) => {
      const p = r.patch as Any;
      expect(p.metadata.labels).toEqual({ owner: 'data' });
      expect(p.spec.jobTemplate.metadata.labels).toEqual({ owner: 'data' });
      expect(p.spec.jobTemplate.spec.template.metadata.labels).toEqual({ owner: 'data' });
      expect(p.spec.template).toBeUndefined();
    },
  },
  {
    kind: 'trait',
    title: 'annotations: workload and pod template',
    definition: 'annotations',
    base: webBase,
    parameter: { 'example.com/owner': 'web-team' },
    check: (r) => {
      expect((r.patch as Any).metadata.annotations).toEqual({ 'example.com/owner': 'web-team' });
      expect((r.patch as Any).spec.template.metadata.annotations).toEqual({ 'example.com/owner': 'web-team' });
    },
  },
  {
    kind: 'trait',
    title: 'env: overrides, keeps valueFrom, unsets and appends',
    definition: 'env',
    base: webWithEnv,
    parameter: { env: { LOG_LEVEL: 'debug', FEATURE_X: 'on' }, unset: ['OLD'] },
    check: (r) => {
      expect(patchedContainers(r)).toEqual([
        {
          name: 'web',
          env: [
            { name: 'LOG_LEVEL', value: 'debug' },
            { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
            { name: 'FEATURE_X', value: 'on' },
          ],
        },
      ]);
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'env: replace drops the existing variables',
    definition: 'env',
    base: webWithEnv,
    parameter: { env: { ONLY: '1' }, replace: true },
    check: (r) => expect(patchedContainers(r)[0].env).toEqual([{ name: 'ONLY', value: '1' }]),
  },
  {
    kind: 'trait',
    title: 'env: an unknown container is a user error',
    definition: 'env',
    base: webBase,
    parameter: { containerName: 'nope', env: { A: '1' } },
    check: (r) => {
      expect(patchedContainers(r)).toEqual([]);
      expect(r.errs).toEqual(['env: container "nope" not found in the workload']);
    },
  },
  {
    kind: 'trait',
    title: 'env: on a CronJob it patches the job template',
    definition: 'env',
    base: cronBase,
    parameter: { env: { TZ: 'UTC' } },
    check: (r) => expect(cronPatchedPod(r).containers).toEqual([{ name: 'report', env: [{ name: 'TZ', value: 'UTC' }] }]),
  },
  {
    kind: 'trait',
    title: 'command: replaces the command, adds and removes arguments',
    definition: 'command',
    base: webWithEnv,
    parameter: { command: ['/app/server'], addArgs: ['--json-logs', '--port'], delArgs: ['--verbose'] },
    check: (r) => {
      expect(patchedContainers(r)).toEqual([{ name: 'web', command: ['/app/server'], args: ['--port', '8080', '--json-logs'] }]);
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'command: args together with addArgs is a user error',
    definition: 'command',
    base: webWithEnv,
    parameter: { args: ['a'], addArgs: ['b'] },
    check: (r) => {
      expect(patchedContainers(r)).toEqual([]);
      expect(r.errs).toHaveLength(1);
    },
  },
  {
    kind: 'trait',
    title: 'sidecar: appends a container by name',
    definition: 'sidecar',
    // The sidecar mounts a volume the pod already has.
    base: { definition: 'webservice', parameter: { image: 'localhost:5000/shop/web:v1', volumeMounts: { emptyDir: [{ name: 'logs', mountPath: '/var/log/app' }] } } },
    parameter: {
      name: 'log-shipper',
      image: 'fluent/fluent-bit:2.2',
      args: ['-c', '/fluent-bit/etc/fluent-bit.conf'],
      env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      volumes: [{ name: 'logs', path: '/var/log/app' }],
    },
    check: (r) =>
      expect(patchedContainers(r)).toEqual([
        {
          name: 'log-shipper',
          image: 'fluent/fluent-bit:2.2',
          args: ['-c', '/fluent-bit/etc/fluent-bit.conf'],
          env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          volumeMounts: [{ name: 'logs', mountPath: '/var/log/app' }],
        },
      ]),
  },
  {
    kind: 'trait',
    title: 'sidecar: on a CronJob',
    definition: 'sidecar',
    base: cronBase,
    parameter: { name: 'proxy', image: 'cloud-sql-proxy:2', cmd: ['/proxy'] },
    check: (r) => expect(cronPatchedPod(r).containers).toEqual([{ name: 'proxy', image: 'cloud-sql-proxy:2', command: ['/proxy'] }]),
  },
  {
    kind: 'trait',
    title: 'init-container: shared scratch volume with the main container',
    definition: 'init-container',
    base: webBase,
    parameter: { name: 'fetch', image: 'busybox:1.36', cmd: ['wget', '-O', '/work/index.html', 'http://example.com'], appMountPath: '/usr/share/nginx/html', initMountPath: '/work' },
    check: (r) => {
      const pod = (r.patch as Any).spec.template.spec;
      expect(pod.containers).toEqual([{ name: 'web', volumeMounts: [{ name: 'workdir', mountPath: '/usr/share/nginx/html' }] }]);
      expect(pod.initContainers).toEqual([
        { name: 'fetch', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', command: ['wget', '-O', '/work/index.html', 'http://example.com'], volumeMounts: [{ name: 'workdir', mountPath: '/work' }] },
      ]);
      expect(pod.volumes).toEqual([{ name: 'workdir', emptyDir: {} }]);
    },
  },
  {
    kind: 'trait',
    title: 'resource: cpu and memory set requests and limits',
    definition: 'resource',
    base: webBase,
    parameter: { cpu: 0.5, memory: '512Mi' },
    check: (r) => expect(patchedContainers(r)).toEqual([{ name: 'web', resources: { requests: { cpu: '0.5', memory: '512Mi' }, limits: { cpu: '0.5', memory: '512Mi' } } }]),
  },
  {
    kind: 'trait',
    title: 'resource: separate requests and limits, on a CronJob',
    definition: 'resource',
    base: cronBase,
    parameter: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    check: (r) =>
      expect(cronPatchedPod(r).containers).toEqual([{ name: 'report', resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '1Gi' } } }]),
  },
  {
    kind: 'trait',
    title: 'storage: a PVC, a ConfigMap and a Secret, created and mounted',
    definition: 'storage',
    base: { definition: 'statefulset', service: 'redis', parameter: { image: 'redis:7-alpine', ports: [{ port: 6379, expose: true }] } },
    parameter: {
      pvc: [{ name: 'redis-data', mountPath: '/data', resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard' }],
      configMap: [{ name: 'redis-conf', mountPath: '/usr/local/etc/redis', data: { 'redis.conf': 'appendonly yes\n' } }],
      secret: [{ name: 'redis-auth', mountOnly: true, mountToEnv: { envName: 'REDIS_PASSWORD', secretKey: 'password' } }],
      emptyDir: [{ name: 'tmp', mountPath: '/tmp', medium: 'Memory' }],
    },
    check: (r) => {
      const pod = (r.patch as Any).spec.template.spec;
      expect(pod.volumes).toEqual([
        { name: 'pvc-redis-data', persistentVolumeClaim: { claimName: 'redis-data' } },
        { name: 'configmap-redis-conf', configMap: { name: 'redis-conf', defaultMode: 420 } },
        { name: 'emptydir-tmp', emptyDir: { medium: 'Memory' } },
      ]);
      expect(pod.containers).toEqual([
        {
          name: 'redis',
          env: [{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis-auth', key: 'password' } } }],
          volumeMounts: [
            { name: 'pvc-redis-data', mountPath: '/data' },
            { name: 'configmap-redis-conf', mountPath: '/usr/local/etc/redis' },
            { name: 'emptydir-tmp', mountPath: '/tmp' },
          ],
        },
      ]);
      expect(Object.keys(r.outputs!)).toEqual(['pvc-redis-data', 'configmap-redis-conf']);
      const pvc = r.outputs!['pvc-redis-data'] as Any;
      expect(pvc.kind).toBe('PersistentVolumeClaim');
      expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', storageClassName: 'standard', resources: { requests: { storage: '1Gi' } } });
      expect((r.outputs!['configmap-redis-conf'] as Any).data).toEqual({ 'redis.conf': 'appendonly yes\n' });
    },
  },
  {
    kind: 'trait',
    title: 'storage: a claim of the default size',
    definition: 'storage',
    base: webBase,
    parameter: { pvc: [{ name: 'uploads', mountPath: '/uploads', accessModes: ['ReadWriteMany'] }] },
    check: (r) => {
      const pvc = r.outputs!['pvc-uploads'] as Any;
      expect(pvc.spec.resources).toEqual({ requests: { storage: '8Gi' } });
      expect(pvc.spec.accessModes).toEqual(['ReadWriteMany']);
    },
  },
  {
    kind: 'trait',
    title: 'service-account: sets the pod account and creates it with a Role',
    definition: 'service-account',
    base: webBase,
    parameter: { name: 'web-reader', create: true, privileges: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['configmaps'] }, { verbs: ['get'], nonResourceURLs: ['/metrics'], scope: 'cluster' }] },
    check: (r) => {
      expect((r.patch as Any).spec.template.spec.serviceAccountName).toBe('web-reader');
      expect(Object.keys(r.outputs!).sort()).toEqual(['cluster-role', 'cluster-role-binding', 'role', 'role-binding', 'service-account']);
      expect((r.outputs!['role'] as Any).rules).toEqual([{ verbs: ['get', 'list'], apiGroups: [''], resources: ['configmaps'] }]);
      expect((r.outputs!['role-binding'] as Any).subjects).toEqual([{ kind: 'ServiceAccount', name: 'web-reader', namespace: 'default' }]);
      expect((r.outputs!['cluster-role'] as Any).metadata.name).toBe('default:web-reader');
    },
  },
  {
    kind: 'trait',
    title: 'service-account: an existing account only',
    definition: 'service-account',
    base: cronBase,
    parameter: { name: 'reporter' },
    check: (r) => {
      expect(cronPatchedPod(r).serviceAccountName).toBe('reporter');
      expect(r.outputs ?? {}).toEqual({});
    },
  },
  {
    kind: 'trait',
    title: 'affinity: anti-affinity, node affinity and tolerations',
    definition: 'affinity',
    base: webBase,
    parameter: {
      podAntiAffinity: { preferred: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { 'app.oam.dev/component': 'web' } }, topologyKey: 'kubernetes.io/hostname' } }] },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disktype', values: ['ssd'] }] }] } },
      tolerations: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }],
    },
    check: (r) => {
      const pod = (r.patch as Any).spec.template.spec;
      expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight).toBe(100);
      expect(pod.affinity.podAffinity).toBeUndefined();
      expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([{ matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd'] }] }]);
      expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }]);
    },
  },
  {
    kind: 'trait',
    title: 'startup-probe: on the main container',
    definition: 'startup-probe',
    base: webBase,
    parameter: { httpGet: { path: '/ready', port: 8080 }, failureThreshold: 30, periodSeconds: 5 },
    check: (r) => {
      expect(patchedContainers(r)).toEqual([
        { name: 'web', startupProbe: { httpGet: { path: '/ready', port: 8080 }, initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 30 } },
      ]);
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'startup-probe: no handler is a user error',
    definition: 'startup-probe',
    base: webBase,
    parameter: { periodSeconds: 5 },
    check: (r) => expect(r.errs).toHaveLength(1),
  },
  {
    kind: 'trait',
    title: 'securitycontext: hardening the main container',
    definition: 'securitycontext',
    base: webBase,
    parameter: { runAsUser: 1000, dropCapabilities: ['ALL'], readOnlyRootFilesystem: true },
    check: (r) =>
      expect(patchedContainers(r)).toEqual([
        {
          name: 'web',
          securityContext: { capabilities: { drop: ['ALL'] }, runAsUser: 1000, allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true },
        },
      ]),
  },
  {
    kind: 'trait',
    title: 'json-patch: the operations are the patch',
    definition: 'json-patch',
    base: { definition: 'webservice', parameter: { image: 'localhost:5000/shop/web:v1', annotations: { 'example.com/old': 'x' } } },
    parameter: { operations: [{ op: 'add', path: '/spec/replicas', value: 2 }, { op: 'remove', path: '/spec/template/metadata/annotations' }] },
    check: (r) => expect(r.patch).toEqual({ operations: [{ op: 'add', path: '/spec/replicas', value: 2 }, { op: 'remove', path: '/spec/template/metadata/annotations' }] }),
  },
  {
    kind: 'trait',
    title: 'json-merge-patch: the parameter is the patch',
    definition: 'json-merge-patch',
    base: webBase,
    parameter: { spec: { replicas: 2, template: { spec: { terminationGracePeriodSeconds: 60 } } }, metadata: { annotations: { old: null } } },
    check: (r) => expect(r.patch).toEqual({ spec: { replicas: 2, template: { spec: { terminationGracePeriodSeconds: 60 } } }, metadata: { annotations: { old: null } } }),
  },
];

const liveDeployment = (spec: JsonObject, status: JsonObject, generation = 2, annotations?: JsonObject): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', generation, ...(annotations ? { annotations } : {}) },
  spec,
  status,
});

const statuses: StatusCase[] = [
  {
    kind: 'status',
    title: 'webservice healthPolicy: all replicas ready and updated',
    definition: 'webservice',
    field: 'healthPolicy',
    context: { output: liveDeployment({ replicas: 2 }, { replicas: 2, readyReplicas: 2, updatedReplicas: 2, observedGeneration: 2 }) },
    check: (r) => expect(r['isHealth']).toBe(true),
  },
  {
    kind: 'status',
    title: 'webservice healthPolicy: a rollout in progress is not healthy',
    definition: 'webservice',
    field: 'healthPolicy',
    context: { output: liveDeployment({ replicas: 2 }, { replicas: 3, readyReplicas: 2, updatedReplicas: 1, observedGeneration: 2 }) },
    check: (r) => expect(r['isHealth']).toBe(false),
  },
  {
    kind: 'status',
    title: 'webservice healthPolicy: no status yet is not healthy, unless health checks are off',
    definition: 'webservice',
    field: 'healthPolicy',
    context: { output: liveDeployment({ replicas: 1 }, {}, 1, { 'app.oam.dev/disable-health-check': 'true' }) },
    check: (r) => expect(r['isHealth']).toBe(true),
  },
  {
    kind: 'status',
    title: 'webservice customStatus: ready count',
    definition: 'webservice',
    field: 'customStatus',
    context: { output: liveDeployment({ replicas: 3 }, { readyReplicas: 1 }) },
    check: (r) => expect(r['message']).toBe('Ready:1/3'),
  },
  {
    kind: 'status',
    title: 'daemon healthPolicy: every scheduled pod ready',
    definition: 'daemon',
    field: 'healthPolicy',
    context: {
      output: {
        metadata: { generation: 1 },
        status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, updatedNumberScheduled: 3, numberReady: 2, observedGeneration: 1 },
      },
    },
    check: (r) => expect(r['isHealth']).toBe(false),
  },
  {
    kind: 'status',
    title: 'task healthPolicy: done when the completions succeeded',
    definition: 'task',
    field: 'healthPolicy',
    context: { output: { spec: { completions: 2, parallelism: 2 }, status: { succeeded: 2 } } },
    check: (r) => expect(r['isHealth']).toBe(true),
  },
  {
    kind: 'status',
    title: 'task customStatus',
    definition: 'task',
    field: 'customStatus',
    context: { output: { spec: { completions: 1 }, status: { active: 1 } } },
    check: (r) => expect(r['message']).toBe('Active/Failed/Succeeded:1/0/0'),
  },
  {
    kind: 'status',
    title: 'cron-task customStatus',
    definition: 'cron-task',
    field: 'customStatus',
    context: { output: { spec: {}, status: { active: [{ name: 'report-1' }], lastScheduleTime: '2026-01-01T03:00:00Z' } } },
    check: (r) => expect(r['message']).toBe('Active:1, last scheduled: 2026-01-01T03:00:00Z'),
  },
  {
    kind: 'status',
    title: 'statefulset healthPolicy',
    definition: 'statefulset',
    field: 'healthPolicy',
    context: { output: { metadata: { generation: 1 }, spec: { replicas: 1 }, status: { replicas: 1, readyReplicas: 1, updatedReplicas: 1, observedGeneration: 1 } } },
    check: (r) => expect(r['isHealth']).toBe(true),
  },
  {
    kind: 'status',
    title: 'gateway healthPolicy and customStatus: the Ingress exists',
    definition: 'gateway',
    field: 'customStatus',
    parameter: { http: { '/': 80 }, domain: 'shop.example.com' },
    context: {
      name: 'web',
      appName: 'shop',
      outputs: {
        ingress: { kind: 'Ingress', metadata: { name: 'web' }, spec: { rules: [{ host: 'shop.example.com' }] }, status: { loadBalancer: { ingress: [{ ip: '10.1.2.3' }] } } },
      },
    },
    check: (r) => expect(r['message']).toBe('Visiting URL: shop.example.com, IP: 10.1.2.3'),
  },
  {
    kind: 'status',
    title: 'gateway healthPolicy',
    definition: 'gateway',
    field: 'healthPolicy',
    parameter: { http: { '/': 80 } },
    context: { name: 'web', outputs: { ingress: { kind: 'Ingress', metadata: { name: 'web' } } } },
    check: (r) => expect(r['isHealth']).toBe(true),
  },
  {
    kind: 'status',
    title: 'expose healthPolicy: a LoadBalancer waits for its address',
    definition: 'expose',
    field: 'healthPolicy',
    context: { outputs: { service: { kind: 'Service', spec: { type: 'LoadBalancer' }, status: { loadBalancer: {} } } } },
    check: (r) => expect(r['isHealth']).toBe(false),
  },
  {
    kind: 'status',
    title: 'expose customStatus: ClusterIP',
    definition: 'expose',
    field: 'customStatus',
    context: { outputs: { service: { kind: 'Service', spec: { type: 'ClusterIP', clusterIP: '10.96.0.12' } } } },
    check: (r) => expect(r['message']).toBe('ClusterIP: 10.96.0.12'),
  },
];

export const cases: DefinitionCase[] = [...components, ...traits, ...statuses, ...envFilesCases, ...talkTraitCases, ...kubevelaTraitCases, ...kubevelaStatusCases, ...observeCases];
