/**
 * Objects the Kubernetes API server refuses although their schema accepts
 * them, each next to the field the refusal names, and objects it accepts.
 * api-rules.test.ts checks vela finds the same; api-rules.e2e.test.ts checks
 * the real kube-apiserver agrees on every case (server-side dry run).
 */
type Json = Record<string, unknown>;

export const deployment = (container: Json, extra: { labels?: Json; replicas?: number } = {}): Json => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: extra.labels ?? { app: 'web' } },
  spec: {
    ...(extra.replicas !== undefined ? { replicas: extra.replicas } : {}),
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ...container }] } },
  },
});

/** Server-side apply in Kubernetes 1.20 needs `protocol` in Service ports (the list's key, without a default there). */
export const service = (name: string, ports: Json[]): Json => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { selector: { app: 'web' }, ports: ports.map((p) => ({ protocol: 'TCP', ...p })) },
});

const C = 'spec.template.spec.containers[0]';

const cronJob = (schedule: string | undefined): Json => ({
  apiVersion: 'batch/v1beta1',
  kind: 'CronJob',
  metadata: { name: 'tick' },
  spec: { ...(schedule !== undefined ? { schedule } : {}), jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } },
});

const hpa = (spec: Json): Json => ({
  apiVersion: 'autoscaling/v2beta2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, ...spec },
});

/** Refused: [what, object, the field vela names, the field the server names when it names another]. */
export const REFUSED: readonly [string, Json, string, string?][] = [
  ['a container port above 65535', deployment({ ports: [{ containerPort: 70000 }] }), `${C}.ports[0].containerPort`],
  ['a container port of 0', deployment({ ports: [{ containerPort: 0 }] }), `${C}.ports[0].containerPort`],
  ['a host port above 65535', deployment({ ports: [{ containerPort: 80, hostPort: 65536 }] }), `${C}.ports[0].hostPort`],
  ['a port name over 15 characters', deployment({ ports: [{ containerPort: 80, name: 'http-port-is-long' }] }), `${C}.ports[0].name`],
  ['a port name without a letter', deployment({ ports: [{ containerPort: 80, name: '8080' }] }), `${C}.ports[0].name`],
  ['a port name with --', deployment({ ports: [{ containerPort: 80, name: 'a--b' }] }), `${C}.ports[0].name`],
  ['a port name in capitals', deployment({ ports: [{ containerPort: 80, name: 'HTTP' }] }), `${C}.ports[0].name`],
  ['a Service named 123', service('123', [{ port: 80 }]), 'metadata.name'],
  ['a Service name starting with a digit', service('1web', [{ port: 80 }]), 'metadata.name'],
  ['a Service port of 0', service('web', [{ port: 0 }]), 'spec.ports[0].port'],
  ['a Service port above 65535', service('web', [{ port: 65536 }]), 'spec.ports[0].port'],
  ['a targetPort name over 15 characters', service('web', [{ port: 80, targetPort: 'http-port-is-long' }]), 'spec.ports[0].targetPort'],
  ['two Service ports without names', service('web', [{ port: 80 }, { port: 81 }]), 'spec.ports[0].name'],
  ['a label key with a space', deployment({}, { labels: { 'bad key': 'x' } }), 'metadata.labels.bad key'],
  ['a label key with an empty prefix', deployment({}, { labels: { '/x': 'y' } }), 'metadata.labels./x'],
  ['a label key with an invalid prefix', deployment({}, { labels: { 'Example.com/x': 'y' } }), 'metadata.labels.Example.com/x'],
  ['a label value over 63 characters', deployment({}, { labels: { a: 'x'.repeat(64) } }), 'metadata.labels.a'],
  ['a label value ending in -', deployment({}, { labels: { a: 'x-' } }), 'metadata.labels.a'],
  ['an env name starting with a digit', deployment({ env: [{ name: '1BAD', value: 'x' }] }), `${C}.env[0].name`],
  ['an env name with a space', deployment({ env: [{ name: 'A B', value: 'x' }] }), `${C}.env[0].name`],
  ['a negative cpu request', deployment({ resources: { requests: { cpu: '-100m' } } }), `${C}.resources.requests.cpu`],
  ['a negative memory limit', deployment({ resources: { limits: { memory: '-1' } } }), `${C}.resources.limits.memory`],
  ['a quantity given as a number', deployment({ resources: { limits: { cpu: 1 } } }), `${C}.resources.limits.cpu`],
  ['a quantity that is no number', deployment({ resources: { limits: { cpu: 'lots' } } }), `${C}.resources.limits.cpu`],
  ['a request above its limit', deployment({ resources: { requests: { cpu: '2' }, limits: { cpu: '500m' } } }), `${C}.resources.requests.cpu`],
  ['an empty readinessProbe', deployment({ readinessProbe: {} }), `${C}.readinessProbe`],
  ['a probe with a threshold but no handler', deployment({ livenessProbe: { periodSeconds: 5 } }), `${C}.livenessProbe`],
  ['a probe with two handlers', deployment({ livenessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } }), `${C}.livenessProbe`],
  ['a probe port above 65535', deployment({ readinessProbe: { httpGet: { port: 70000 } } }), `${C}.readinessProbe.httpGet.port`],
  // 2 ** 32 is not refused but wraps to 0 under server-side apply: worse, and refused by vela too (int32 format).
  ['replicas beyond 32 bits', deployment({}, { replicas: 2 ** 31 }), 'spec.replicas'],
  ['negative replicas', deployment({}, { replicas: -1 }), 'spec.replicas'],
  ['a container name in capitals', deployment({ name: 'Web' }), `${C}.name`],
  ['a ConfigMap key with a slash', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'a/b': 'x' } }, 'data[a/b]'],
  ['Secret data that is not base64', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'not base64!' } }, 'data[a]'],
  ['a container port given as a string', deployment({ ports: [{ containerPort: '80' }] }), `${C}.ports[0].containerPort`],
  ['a container without an image', deployment({ image: '' }), `${C}.image`],
  ['an env name given twice', deployment({ env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] }), `${C}.env[1].name`],
  ['a container port given twice', deployment({ ports: [{ containerPort: 80 }, { containerPort: 80 }] }), `${C}.ports[1]`],
  ['a port name given twice', deployment({ ports: [{ containerPort: 80, name: 'http' }, { containerPort: 81, name: 'http' }] }), `${C}.ports[1].name`],
  ['a Service port given twice', service('web', [{ name: 'a', port: 80 }, { name: 'b', port: 80 }]), 'spec.ports[1]'],
  ['a Service port without a protocol (Kubernetes 1.20)', service('web', [{ port: 80, protocol: undefined }]), 'spec.ports[0].protocol'],
  ['a CronJob name over 52 characters', { apiVersion: 'batch/v1beta1', kind: 'CronJob', metadata: { name: 'c'.repeat(53) }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } } }, 'metadata.name'],
  ['a Job name over 63 characters', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j'.repeat(64) }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } }, 'metadata.name', 'spec.template.labels'],
  ['a CronJob without a schedule', cronJob(undefined), 'spec.schedule'],
  ['a CronJob schedule of one field', cronJob('yes'), 'spec.schedule'],
  ['a CronJob schedule with minute 60', cronJob('60 * * * *'), 'spec.schedule'],
  ['a CronJob schedule with a backwards range', cronJob('* 5-2 * * *'), 'spec.schedule'],
  ['an autoscaler with minReplicas 0', hpa({ minReplicas: 0, maxReplicas: 3 }), 'spec.minReplicas'],
  ['an autoscaler with maxReplicas below minReplicas', hpa({ minReplicas: 3, maxReplicas: 2 }), 'spec.maxReplicas'],
  ['an autoscaler with a target utilization of 0', hpa({ maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } } }] }), 'spec.metrics[0].resource.target.averageUtilization'],
];

/** Accepted: the edges of the same rules. */
export const ACCEPTED: readonly [string, Json][] = [
  ['ports at the edges, names of 15 characters', deployment({ ports: [{ containerPort: 1, name: 'a23456789012345' }, { containerPort: 65535, hostPort: 65535, name: 'x-1' }] })],
  ['a Service named like a DNS-1035 label, with a named target port', service('web-1', [{ name: 'http', port: 65535, targetPort: 'http', protocol: 'TCP' }, { name: 'metrics', port: 1, targetPort: 9090, protocol: 'TCP' }])],
  ['label keys with prefixes, empty values', deployment({}, { labels: { 'app.kubernetes.io/name': 'web', 'example.com/a_b.c-d': '', A: 'Z_9.x-y' } })],
  ['env names with dots and dashes', deployment({ env: [{ name: 'my.var-name_1', value: 'x' }, { name: '_UNDER', value: 'y' }] })],
  ['quantities in every unit', deployment({ resources: { requests: { cpu: '0.5', memory: '1e3' }, limits: { cpu: '1', memory: '128Mi', 'ephemeral-storage': '2G' } } })],
  ['probes with one handler each', deployment({ readinessProbe: { httpGet: { port: 'http', path: '/' } }, livenessProbe: { tcpSocket: { port: 80 } }, ports: [{ containerPort: 80, name: 'http' }] })],
  ['CronJob schedules in every form', cronJob('*/5 0-23/2 1,15 JAN-DEC mon-fri')],
  ['a CronJob schedule as a descriptor', cronJob('@hourly')],
  ['an autoscaler of 1 to 1 replicas at 1%', hpa({ minReplicas: 1, maxReplicas: 1, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 1 } } }] })],
  ['a CronJob name of 52 characters', { apiVersion: 'batch/v1beta1', kind: 'CronJob', metadata: { name: 'c'.repeat(52) }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } } }],
  ['a ConfigMap with dotted keys and base64 Secret data with line breaks', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { 'a.b_c-d': 'aGVsbG8g\nd29ybGQ=' } }],
];
