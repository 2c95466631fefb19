/**
 * The trait sections of the 2020 talk's Appfile (issue 10): `route` and
 * `scale`, and the warnings when two traits would fight over the replicas.
 */
import { expect } from 'vitest';
import { CLUSTER_1_28, type TraitCase } from './harness.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const talkBase: TraitCase['base'] = { definition: 'webservice', service: 'express-server', parameter: { image: 'oamdev/testapp:v1', cmd: ['node', 'server.js'] } };
const exposedBase: TraitCase['base'] = { definition: 'webservice', parameter: { image: 'nginx:1.25', ports: [{ port: 9000, expose: true }] } };
const statefulBase: TraitCase['base'] = { definition: 'statefulset', service: 'db', parameter: { image: 'postgres:16' } };

const route: TraitCase[] = [
  {
    kind: 'trait',
    title: "route: the talk's Ingress for example.com with a Service for port 8080",
    definition: 'route',
    base: talkBase,
    parameter: { domain: 'example.com', http: { '/': 8080 } },
    check: (r) => {
      expect(Object.keys(r.outputs!)).toEqual(['ingress', 'service']);
      const ing = r.outputs!['ingress'] as Any;
      expect(ing.apiVersion).toBe('networking.k8s.io/v1');
      expect(ing.metadata).toEqual({ name: 'express-server' });
      expect(ing.spec.ingressClassName).toBe('nginx');
      expect(ing.spec.tls).toBeUndefined();
      expect(ing.spec.rules).toEqual([
        { host: 'example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'express-server', port: { number: 8080 } } } }] } },
      ]);
      const svc = r.outputs!['service'] as Any;
      expect(svc.metadata.name).toBe('express-server');
      expect(svc.spec).toEqual({ selector: { 'app.oam.dev/component': 'express-server' }, ports: [{ name: 'port-8080', port: 8080, targetPort: 8080, protocol: 'TCP' }] });
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'route: longest path first; an exposed port goes to the component Service, others to the route Service',
    definition: 'route',
    base: exposedBase,
    parameter: { domain: 'shop.example.com', http: { '/': 8080, '/api/v2': 9000, '/api': 9000, '/b': 8080, '/a': 8080 } },
    check: (r) => {
      const paths = (r.outputs!['ingress'] as Any).spec.rules[0].http.paths;
      expect(paths.map((p: Any) => [p.path, p.backend.service.name, p.backend.service.port.number])).toEqual([
        ['/api/v2', 'web', 9000],
        ['/api', 'web', 9000],
        ['/a', 'web-route', 8080],
        ['/b', 'web-route', 8080],
        ['/', 'web-route', 8080],
      ]);
      // The component's Service "web" keeps its name; the route's own is "web-route", with each missing port once.
      const svc = r.outputs!['service'] as Any;
      expect(svc.metadata.name).toBe('web-route');
      expect(svc.spec.ports).toEqual([{ name: 'port-8080', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    },
  },
  {
    kind: 'trait',
    title: 'route: no Service of its own when the component serves every routed port',
    definition: 'route',
    base: exposedBase,
    parameter: { domain: 'api.example.com', http: { '/': 9000 } },
    check: (r) => {
      expect(Object.keys(r.outputs!)).toEqual(['ingress']);
      expect((r.outputs!['ingress'] as Any).spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'web', port: { number: 9000 } });
    },
  },
  {
    kind: 'trait',
    title: 'route: HTTPS through a cert-manager ClusterIssuer, another class, extra annotations',
    definition: 'route',
    base: talkBase,
    parameter: { domain: 'example.com', http: { '/': 8080 }, issuer: 'letsencrypt', issuerKind: 'ClusterIssuer', class: 'traefik', annotations: { 'example.com/team': 'web' } },
    check: (r) => {
      const ing = r.outputs!['ingress'] as Any;
      expect(ing.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt', 'example.com/team': 'web' });
      expect(ing.spec.ingressClassName).toBe('traefik');
      expect(ing.spec.tls).toEqual([{ hosts: ['example.com'], secretName: 'express-server-tls' }]);
    },
  },
  {
    kind: 'trait',
    title: 'route: a namespaced Issuer; tls with an existing Secret',
    definition: 'route',
    base: talkBase,
    parameter: { domain: 'example.com', http: { '/': 8080 }, issuer: 'ca', secretName: 'example-cert' },
    check: (r) => {
      const ing = r.outputs!['ingress'] as Any;
      expect(ing.metadata.annotations).toEqual({ 'cert-manager.io/issuer': 'ca' });
      expect(ing.spec.tls).toEqual([{ hosts: ['example.com'], secretName: 'example-cert' }]);
    },
  },
  {
    kind: 'trait',
    title: 'route: networking.k8s.io/v1beta1 and the class annotation below Kubernetes 1.19, on a StatefulSet',
    definition: 'route',
    base: statefulBase,
    parameter: { domain: 'db.example.com', http: { '/': 8080 }, tls: true },
    context: { clusterVersion: { major: 1, minor: 18, gitVersion: 'v1.18.20' } },
    check: (r) => {
      const ing = r.outputs!['ingress'] as Any;
      expect(ing.apiVersion).toBe('networking.k8s.io/v1beta1');
      expect(ing.metadata.annotations).toEqual({ 'kubernetes.io/ingress.class': 'nginx' });
      expect(ing.spec.ingressClassName).toBeUndefined();
      expect(ing.spec.tls).toEqual([{ hosts: ['db.example.com'], secretName: 'db-tls' }]);
      expect(ing.spec.rules[0].http.paths[0].backend).toEqual({ serviceName: 'db', servicePort: 8080 });
    },
  },
  {
    kind: 'trait',
    title: 'route: HTTPS without a domain is a user error',
    definition: 'route',
    base: talkBase,
    parameter: { http: { '/': 8080 }, tls: true },
    check: (r) => expect(r.errs).toEqual(['HTTPS (tls, issuer or secretName) needs a domain']),
  },
  {
    kind: 'trait',
    title: 'route: a path without a leading slash is a user error',
    definition: 'route',
    base: talkBase,
    parameter: { domain: 'example.com', http: { api: 8080 } },
    check: (r) => expect(r.errs).toEqual(['http: the path "api" must start with /']),
  },
];

const talkScale = { replica: 2, auto: { range: '1-10', cpu: 80, qps: 1000 } };

const scale: TraitCase[] = [
  {
    kind: 'trait',
    title: 'scale: replica sets spec.replicas',
    definition: 'scale',
    base: talkBase,
    parameter: { replica: 2 },
    check: (r) => {
      expect(r.patch).toEqual({ operations: [{ op: 'add', path: '/spec/replicas', value: 2 }] });
      expect(r.outputs ?? {}).toEqual({});
      expect(r.warnings).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: "scale: the talk's auto with qps is one KEDA ScaledObject (cpu and prometheus triggers); replica is ignored with a warning",
    definition: 'scale',
    base: talkBase,
    parameter: talkScale,
    check: (r) => {
      expect(Object.keys(r.outputs!)).toEqual(['scaled-object']);
      const so = r.outputs!['scaled-object'] as Any;
      expect(so.apiVersion).toBe('keda.sh/v1alpha1');
      expect(so.kind).toBe('ScaledObject');
      expect(so.metadata.name).toBe('express-server');
      expect(so.spec).toEqual({
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'express-server' },
        minReplicaCount: 1,
        maxReplicaCount: 10,
        triggers: [
          { type: 'cpu', metricType: 'Utilization', metadata: { value: '80' } },
          {
            type: 'prometheus',
            metadata: {
              serverAddress: 'http://prometheus-operated.monitoring.svc:9090',
              query: 'sum(rate(nginx_ingress_controller_requests{ingress="express-server"}[2m]))',
              threshold: '1000',
            },
          },
        ],
      });
      // The autoscaler owns the replicas: nothing to remove (the component set none), nothing added.
      expect(r.patch).toEqual({ operations: [] });
      expect(r.warnings).toEqual(['replica (2) is ignored: with auto, the autoscaler sets the number of replicas']);
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'scale: qps with memory, another Prometheus and query, scaling to zero',
    definition: 'scale',
    base: talkBase,
    parameter: { auto: { range: '0-4', memory: 75, qps: 50, serverAddress: 'http://prometheus.monitoring:9090', query: 'sum(rate(http_requests_total{app="express"}[1m]))' } },
    check: (r) => {
      const so = r.outputs!['scaled-object'] as Any;
      expect(so.spec.minReplicaCount).toBe(0);
      expect(so.spec.triggers).toEqual([
        { type: 'memory', metricType: 'Utilization', metadata: { value: '75' } },
        { type: 'prometheus', metadata: { serverAddress: 'http://prometheus.monitoring:9090', query: 'sum(rate(http_requests_total{app="express"}[1m]))', threshold: '50' } },
      ]);
      expect(r.warnings).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'scale: cpu and memory without qps are a HorizontalPodAutoscaler autoscaling/v2beta2 on Kubernetes 1.20',
    definition: 'scale',
    base: talkBase,
    parameter: { auto: { range: ' 2 - 5 ', cpu: 70, memory: 60 } },
    check: (r) => {
      expect(Object.keys(r.outputs!)).toEqual(['hpa']);
      const h = r.outputs!['hpa'] as Any;
      expect(h.apiVersion).toBe('autoscaling/v2beta2');
      expect(h.spec).toEqual({
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'express-server' },
        minReplicas: 2,
        maxReplicas: 5,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 60 } } },
        ],
      });
    },
  },
  {
    kind: 'trait',
    title: 'scale: autoscaling/v2 from Kubernetes 1.23, for a StatefulSet',
    definition: 'scale',
    base: statefulBase,
    parameter: { auto: { range: '1-3', cpu: 50 } },
    context: { clusterVersion: { major: 1, minor: 23, gitVersion: 'v1.23.0' } },
    check: (r) => {
      const h = r.outputs!['hpa'] as Any;
      expect(h.apiVersion).toBe('autoscaling/v2');
      expect(h.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' });
    },
  },
  {
    kind: 'trait',
    title: 'scale: auto removes replicas an earlier trait set, with a warning',
    definition: 'scale',
    base: { definition: 'k8s-objects', parameter: { objects: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } } }] } },
    parameter: { auto: { range: '1-10', cpu: 80 } },
    context: { clusterVersion: { ...CLUSTER_1_28 } },
    check: (r) => {
      expect(r.patch).toEqual({ operations: [{ op: 'remove', path: '/spec/replicas' }] });
      expect(r.warnings).toEqual(['spec.replicas (3), set before this trait, is removed: with auto, the autoscaler sets the number of replicas']);
    },
  },
  ...(
    [
      ['range "10-1"', { range: '10-1', cpu: 80 }, 'auto.range "10-1": MIN (10) is greater than MAX (1)'],
      ['a range that is not MIN-MAX', { range: '1 to 10', cpu: 80 }, 'auto.range "1 to 10": expected MIN-MAX, e.g. "1-10"'],
      ['MIN 0 without qps', { range: '0-3', cpu: 80 }, 'auto.range "0-3": MIN must be at least 1 (scaling to zero needs qps, through KEDA)'],
      ['MAX 0', { range: '0-0', qps: 10 }, 'auto.range "0-0": MAX must be at least 1'],
      ['auto without a target', { range: '1-3' }, 'auto needs at least one target: cpu, memory or qps'],
    ] as const
  ).map(
    ([what, auto, message]): TraitCase => ({
      kind: 'trait',
      title: `scale: ${what} is a user error`,
      definition: 'scale',
      base: talkBase,
      parameter: { auto },
      check: (r) => {
        expect(r.errs).toEqual([message]);
        expect(r.outputs ?? {}).toEqual({});
      },
    }),
  ),
];

/** scaler and hpa on one service: whichever comes second says they would fight. */
const fights: TraitCase[] = [
  {
    kind: 'trait',
    title: 'hpa: warns when the workload already has a fixed replica count',
    definition: 'hpa',
    base: { definition: 'k8s-objects', parameter: { objects: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } } }] } },
    parameter: { max: 5 },
    check: (r) => {
      expect(r.warnings).toEqual(["the workload's spec.replicas is set (to 2, e.g. by scaler): every vela up would reset the count the HorizontalPodAutoscaler chose; remove the fixed count"]);
      expect((r.outputs!['hpa'] as Any).spec.maxReplicas).toBe(5);
    },
  },
  {
    kind: 'trait',
    title: 'scaler: warns when an earlier trait made an autoscaler for the workload',
    definition: 'scaler',
    base: talkBase,
    parameter: { replicas: 3 },
    context: {
      outputs: {
        hpa: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'express-server' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'express-server' }, maxReplicas: 5 } },
      },
    },
    check: (r) => {
      expect(r.patch).toEqual({ spec: { replicas: 3 } });
      expect(r.warnings).toEqual([
        'the HorizontalPodAutoscaler express-server (an earlier trait such as hpa) also sets the number of replicas: every vela up would reset the count it chose; keep one of them',
      ]);
    },
  },
  {
    kind: 'trait',
    title: 'scaler: no warning without an autoscaler',
    definition: 'scaler',
    base: talkBase,
    parameter: { replicas: 3 },
    check: (r) => expect(r.warnings).toBeUndefined(),
  },
];

/** KubeVela's Appfile-era traits, under their old names and parameters. */
const appfileEra: TraitCase[] = [
  {
    kind: 'trait',
    title: 'autoscale: cpuPercent and a weekly schedule as one KEDA ScaledObject',
    definition: 'autoscale',
    base: talkBase,
    parameter: { min: 1, max: 5, cpuPercent: 60, cron: { startAt: '22:30', duration: '2h45m', days: 'Monday, friday', replicas: 4, timezone: 'Europe/Paris' } },
    check: (r) => {
      const so = r.outputs!['autoscaler'] as Any;
      expect(so.apiVersion).toBe('keda.sh/v1alpha1');
      expect(so.kind).toBe('ScaledObject');
      expect(so.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'express-server' });
      expect(so.spec.minReplicaCount).toBe(1);
      expect(so.spec.maxReplicaCount).toBe(5);
      // 22:30 plus 2h45m ends at 01:15 the next day.
      expect(so.spec.triggers).toEqual([
        { type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } },
        { type: 'cron', name: 'cron-monday', metadata: { timezone: 'Europe/Paris', start: '30 22 * * 1', end: '15 1 * * 2', desiredReplicas: '4' } },
        { type: 'cron', name: 'cron-friday', metadata: { timezone: 'Europe/Paris', start: '30 22 * * 5', end: '15 1 * * 6', desiredReplicas: '4' } },
      ]);
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'autoscale: a schedule alone, Saturday night into Sunday',
    definition: 'autoscale',
    base: talkBase,
    parameter: { min: 0, max: 3, cron: { startAt: '23:00', duration: '90m', days: 'Saturday', replicas: 3, timezone: 'UTC' } },
    check: (r) =>
      expect((r.outputs!['autoscaler'] as Any).spec.triggers).toEqual([
        { type: 'cron', name: 'cron-saturday', metadata: { timezone: 'UTC', start: '0 23 * * 6', end: '30 0 * * 0', desiredReplicas: '3' } },
      ]),
  },
  {
    kind: 'trait',
    title: 'autoscale: min above max, a bad time and an unknown day are user errors',
    definition: 'autoscale',
    base: talkBase,
    parameter: { min: 6, max: 5, cron: { startAt: '8am', duration: '2h', days: 'Monday, Funday', replicas: 4, timezone: 'UTC' } },
    check: (r) =>
      expect(r.errs).toEqual(['min (6) is greater than max (5)', 'cron.startAt "8am": expected HH:MM, e.g. "08:00"', 'cron.days: "funday" is not a day of the week (Monday ... Sunday)']),
  },
  {
    kind: 'trait',
    title: 'autoscale: a duration of a day or more is a user error',
    definition: 'autoscale',
    base: talkBase,
    parameter: { min: 1, max: 5, cron: { startAt: '08:00', duration: '25h', days: 'Sunday', replicas: 4, timezone: 'UTC' } },
    check: (r) => expect(r.errs).toEqual(['cron.duration "25h": must be longer than 0 and shorter than a day']),
  },
  {
    kind: 'trait',
    title: 'autoscale: warns when the workload already has a fixed replica count',
    definition: 'autoscale',
    base: { definition: 'k8s-objects', parameter: { objects: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } } }] } },
    parameter: { min: 1, max: 3, cpuPercent: 70 },
    check: (r) => expect(r.warnings).toEqual(["the workload's spec.replicas is set (to 2, e.g. by scaler): every vela up would reset the count the autoscaler chose; remove the fixed count"]),
  },
  {
    kind: 'trait',
    title: 'autoscale: neither cpuPercent nor cron is a user error',
    definition: 'autoscale',
    base: talkBase,
    parameter: { min: 1, max: 5 },
    check: (r) => expect(r.errs).toEqual(['autoscale needs cpuPercent or cron (or both)']),
  },
  {
    kind: 'trait',
    title: 'rollout: a Flagger Canary with the old defaults; the replicas on the workload',
    definition: 'rollout',
    base: talkBase,
    parameter: {},
    check: (r) => {
      expect(r.patch).toEqual({ spec: { replicas: 2 } });
      const c = r.outputs!['canary'] as Any;
      expect(c.apiVersion).toBe('flagger.app/v1beta1');
      expect(c.kind).toBe('Canary');
      expect(c.spec).toEqual({
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'express-server' },
        service: { port: 80, targetPort: 80 },
        analysis: { interval: '30s', threshold: 10, maxWeight: 50, stepWeight: 50 },
      });
    },
  },
  {
    kind: 'trait',
    title: "rollout: steps, interval, the container's port and the nginx provider through the route's Ingress",
    definition: 'rollout',
    base: { definition: 'webservice', parameter: { image: 'nginx:1.25', ports: [{ port: 80, containerPort: 8080 }] } },
    parameter: { replicas: 4, stepWeight: 10, interval: '1m', provider: 'nginx' },
    check: (r) => {
      expect(r.patch).toEqual({ spec: { replicas: 4 } });
      const c = r.outputs!['canary'] as Any;
      expect(c.spec.provider).toBe('nginx');
      expect(c.spec.ingressRef).toEqual({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'web' });
      expect(c.spec.service).toEqual({ port: 80, targetPort: 8080 });
      expect(c.spec.analysis).toMatchObject({ interval: '1m', stepWeight: 10 });
    },
  },
  {
    kind: 'trait',
    title: "metrics: a metrics Service and a ServiceMonitor on the container's port",
    definition: 'metrics',
    base: { definition: 'webservice', parameter: { image: 'nginx:1.25', ports: [{ port: 9090, name: 'metrics' }] } },
    parameter: { path: '/stats' },
    check: (r) => {
      expect(Object.keys(r.outputs!)).toEqual(['metrics-service', 'service-monitor']);
      const svc = r.outputs!['metrics-service'] as Any;
      expect(svc.metadata).toEqual({ name: 'web-metrics', labels: { 'metrics.oam.dev/service': 'web' } });
      expect(svc.spec).toEqual({ selector: { 'app.oam.dev/component': 'web' }, ports: [{ name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' }] });
      const sm = r.outputs!['service-monitor'] as Any;
      expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(sm.spec).toEqual({ selector: { matchLabels: { 'metrics.oam.dev/service': 'web' } }, endpoints: [{ port: 'metrics', path: '/stats', scheme: 'http' }] });
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'metrics: an explicit port, scheme and pod selector, on a Job',
    definition: 'metrics',
    base: { definition: 'task', service: 'batch', parameter: { image: 'busybox:1.36' } },
    parameter: { port: 8443, scheme: 'https', selector: { app: 'batch' } },
    check: (r) => {
      expect((r.outputs!['metrics-service'] as Any).spec).toEqual({ selector: { app: 'batch' }, ports: [{ name: 'metrics', port: 8443, targetPort: 8443, protocol: 'TCP' }] });
      expect((r.outputs!['service-monitor'] as Any).spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', scheme: 'https' }]);
    },
  },
  {
    kind: 'trait',
    title: 'metrics: enabled false makes nothing',
    definition: 'metrics',
    base: talkBase,
    parameter: { enabled: false },
    check: (r) => {
      expect(r.outputs ?? {}).toEqual({});
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'metrics: no port to scrape and another format are user errors',
    definition: 'metrics',
    base: talkBase,
    parameter: { format: 'statsd' },
    check: (r) => expect(r.errs).toEqual(['format "statsd": only prometheus is supported', 'port is needed: the container declares no port to scrape']),
  },
];

export const talkTraitCases: TraitCase[] = [...route, ...scale, ...fights, ...appfileEra];
