/**
 * The rest of KubeVela's built-in set (issue 11), written by us with the same
 * names and parameters: the traits of `internal/` vela lacked, the deprecated
 * ones users still write, and fixes to earlier definitions found by comparing
 * parameters with KubeVela's.
 */
import { expect } from 'vitest';
import { CLUSTER_1_28, type JsonObject, type StatusCase, type TemplateResult, type TraitCase } from './harness.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const web: TraitCase['base'] = { definition: 'webservice', parameter: { image: 'localhost:5000/shop/web:v1', ports: [{ port: 8080 }, { port: 9090, name: 'metrics' }] } };
const withSidecar: TraitCase['base'] = { definition: 'k8s-objects', parameter: { objects: [deployment({ replicas: 2 }, [{ name: 'web', image: 'nginx:1.25' }, { name: 'proxy', image: 'envoyproxy/envoy:v1.29.0', ports: [{ containerPort: 9901, protocol: 'TCP' }] }])] } };
const cron: TraitCase['base'] = { definition: 'cron-task', service: 'report', parameter: { image: 'busybox:1.36', schedule: '@daily' } };
const stateful: TraitCase['base'] = { definition: 'statefulset', service: 'db', parameter: { image: 'postgres:16' } };
const daemon: TraitCase['base'] = { definition: 'daemon', service: 'agent', parameter: { image: 'localhost:5000/ops/agent:v1' } };

function deployment(spec: JsonObject, containers: JsonObject[]): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { ...spec, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers } } },
  };
}

const containers = (r: TemplateResult): Any[] => (r.patch as Any).spec.template.spec.containers;
const cronPod = (r: TemplateResult): Any => (r.patch as Any).spec.jobTemplate.spec.template.spec;

const internal: TraitCase[] = [
  {
    kind: 'trait',
    title: 'container-image: another image for the main container, pulled always',
    definition: 'container-image',
    base: web,
    parameter: { image: 'localhost:5000/shop/web:v2', imagePullPolicy: 'Always' },
    check: (r) => {
      expect(containers(r)).toEqual([{ name: 'web', image: 'localhost:5000/shop/web:v2', imagePullPolicy: 'Always' }]);
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'container-image: several containers at once; an unknown one is a user error',
    definition: 'container-image',
    base: withSidecar,
    parameter: { containers: [{ containerName: 'proxy', image: 'envoyproxy/envoy:v1.30.0' }, { containerName: 'nope', image: 'x' }] },
    check: (r) => {
      expect(containers(r)).toEqual([{ name: 'proxy', image: 'envoyproxy/envoy:v1.30.0' }]);
      expect(r.errs).toEqual(['container "nope" not found in the workload']);
    },
  },
  {
    kind: 'trait',
    title: 'container-image: on a CronJob; without an image is a user error',
    definition: 'container-image',
    base: cron,
    parameter: {},
    check: (r) => {
      expect(cronPod(r).containers).toEqual([]);
      expect(r.errs).toEqual(['image is needed (or containers, each with its image)']);
    },
  },
  {
    kind: 'trait',
    title: 'container-ports: a host port for a declared port, a new UDP port appended',
    definition: 'container-ports',
    base: web,
    parameter: { ports: [{ containerPort: 8080, hostPort: 80, hostIP: '0.0.0.0' }, { containerPort: 53, protocol: 'UDP' }] },
    check: (r) => {
      expect(containers(r)).toEqual([
        {
          name: 'web',
          ports: [
            { name: 'port-8080', containerPort: 8080, protocol: 'TCP', hostPort: 80, hostIP: '0.0.0.0' },
            { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
            { containerPort: 53, protocol: 'UDP' },
          ],
        },
      ]);
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'container-ports: the ports of a named container',
    definition: 'container-ports',
    base: withSidecar,
    parameter: { containers: [{ containerName: 'proxy', ports: [{ containerPort: 9901, hostPort: 19901 }] }] },
    check: (r) => expect(containers(r)).toEqual([{ name: 'proxy', ports: [{ containerPort: 9901, protocol: 'TCP', hostPort: 19901 }] }]),
  },
  {
    kind: 'trait',
    title: 'cpuscaler: an autoscaling/v1 HorizontalPodAutoscaler for the workload',
    definition: 'cpuscaler',
    base: stateful,
    parameter: { min: 2, max: 6, cpuUtil: 70 },
    check: (r) => {
      const h = r.outputs!['cpuscaler'] as Any;
      expect(h.apiVersion).toBe('autoscaling/v1');
      expect(h.spec).toEqual({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' }, minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 70 });
      expect(r.warnings).toBeUndefined();
    },
  },
  {
    kind: 'trait',
    title: 'cpuscaler: the defaults; warns about a fixed replica count',
    definition: 'cpuscaler',
    base: withSidecar,
    parameter: {},
    check: (r) => {
      expect((r.outputs!['cpuscaler'] as Any).spec).toMatchObject({ minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 });
      expect(r.warnings).toEqual(["the workload's spec.replicas is set (to 2, e.g. by scaler): every vela up would reset the count the HorizontalPodAutoscaler chose; remove the fixed count"]);
    },
  },
  {
    kind: 'trait',
    title: 'hostalias: entries for /etc/hosts, keyed by address',
    definition: 'hostalias',
    base: web,
    parameter: { hostAliases: [{ ip: '10.0.0.5', hostnames: ['db.internal', 'db'] }] },
    check: (r) => expect((r.patch as Any).spec.template.spec.hostAliases).toEqual([{ ip: '10.0.0.5', hostnames: ['db.internal', 'db'] }]),
  },
  {
    kind: 'trait',
    title: 'hostalias: on a CronJob',
    definition: 'hostalias',
    base: cron,
    parameter: { hostAliases: [{ ip: '10.0.0.6', hostnames: ['ftp'] }] },
    check: (r) => expect(cronPod(r).hostAliases).toEqual([{ ip: '10.0.0.6', hostnames: ['ftp'] }]),
  },
  {
    kind: 'trait',
    title: "k8s-update-strategy: a Deployment's rolling update limits",
    definition: 'k8s-update-strategy',
    base: web,
    parameter: { strategy: { rollingStrategy: { maxSurge: 1, maxUnavailable: '0%' } } },
    check: (r) => {
      expect(r.patch).toEqual({ spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '0%' } } } });
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'k8s-update-strategy: Recreate for a Deployment',
    definition: 'k8s-update-strategy',
    base: web,
    parameter: { strategy: { type: 'Recreate' } },
    check: (r) => expect(r.patch).toEqual({ spec: { strategy: { type: 'Recreate' } } }),
  },
  {
    kind: 'trait',
    title: "k8s-update-strategy: a StatefulSet's partition, the kind taken from the workload",
    definition: 'k8s-update-strategy',
    base: stateful,
    parameter: { strategy: { rollingStrategy: { partition: 2 } } },
    check: (r) => expect(r.patch).toEqual({ spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } } }),
  },
  {
    kind: 'trait',
    title: 'k8s-update-strategy: OnDelete for a DaemonSet',
    definition: 'k8s-update-strategy',
    base: daemon,
    parameter: { targetKind: 'DaemonSet', strategy: { type: 'OnDelete' } },
    check: (r) => expect(r.patch).toEqual({ spec: { updateStrategy: { type: 'OnDelete' } } }),
  },
  {
    kind: 'trait',
    title: 'k8s-update-strategy: a strategy the kind does not have is a user error',
    definition: 'k8s-update-strategy',
    base: web,
    parameter: { strategy: { type: 'OnDelete' } },
    check: (r) => expect(r.errs).toEqual(['strategy OnDelete is for StatefulSets and DaemonSets; a Deployment takes RollingUpdate or Recreate']),
  },
  {
    kind: 'trait',
    title: 'lifecycle: hooks on every container of the pod',
    definition: 'lifecycle',
    base: withSidecar,
    parameter: { postStart: { exec: { command: ['/bin/sh', '-c', 'echo started'] } }, preStop: { httpGet: { path: '/drain', port: 8080 } } },
    check: (r) => {
      const hooks = { postStart: { exec: { command: ['/bin/sh', '-c', 'echo started'] } }, preStop: { httpGet: { path: '/drain', port: 8080, scheme: 'HTTP' } } };
      expect(containers(r)).toEqual([
        { name: 'web', lifecycle: hooks },
        { name: 'proxy', lifecycle: hooks },
      ]);
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'lifecycle: on a CronJob, no hook at all is a user error',
    definition: 'lifecycle',
    base: cron,
    parameter: {},
    check: (r) => {
      expect(cronPod(r).containers).toEqual([{ name: 'report', lifecycle: {} }]);
      expect(r.errs).toEqual(['lifecycle needs postStart or preStop']);
    },
  },
  {
    kind: 'trait',
    title: 'nocalhost: the development configuration as an annotation, and a Service for the port',
    definition: 'nocalhost',
    base: web,
    parameter: { port: 8080, image: 'node', gitUrl: 'https://example.com/shop/web.git', env: [{ name: 'DEBUG', value: '1' }] },
    check: (r) => {
      const annotations = (r.patch as Any).metadata.annotations;
      expect(annotations['dev.nocalhost/application-name']).toBe('shop');
      expect(annotations['dev.nocalhost/application-namespace']).toBe('default');
      expect(JSON.parse(annotations['dev.nocalhost'])).toEqual({
        name: 'web',
        serviceType: 'deployment',
        containers: [
          {
            name: 'web',
            dev: {
              gitUrl: 'https://example.com/shop/web.git',
              image: 'nocalhost-docker.pkg.coding.net/nocalhost/dev-images/node:latest',
              shell: 'bash',
              workDir: '/home/nocalhost-dev',
              storageClass: '',
              resources: { limits: { memory: '2Gi', cpu: '2' }, requests: { memory: '512Mi', cpu: '0.5' } },
              persistentVolumeDirs: [],
              command: { run: ['sh', 'run.sh'], debug: ['sh', 'debug.sh'] },
              debug: { remoteDebugPort: 0 },
              hotReload: true,
              sync: { type: 'send', filePattern: ['./'], ignoreFilePattern: ['.git', '.vscode', '.idea', '.gradle', 'build'] },
              env: [{ name: 'DEBUG', value: '1' }],
              portForward: ['8080:8080'],
            },
          },
        ],
      });
      expect((r.outputs!['nocalhostService'] as Any).spec).toEqual({ type: 'ClusterIP', selector: { 'app.oam.dev/component': 'web' }, ports: [{ port: 8080, targetPort: 8080, protocol: 'TCP' }] });
    },
  },
  {
    kind: 'trait',
    title: 'podsecuritycontext: user, group, file system group and seccomp of the pod',
    definition: 'podsecuritycontext',
    base: web,
    parameter: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
    check: (r) => {
      expect((r.patch as Any).spec.template.spec.securityContext).toEqual({ runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' }, runAsNonRoot: true });
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'podsecuritycontext: on a CronJob; a Localhost profile without its path is a user error',
    definition: 'podsecuritycontext',
    base: cron,
    parameter: { runAsNonRoot: false, seccompProfile: { type: 'Localhost' } },
    check: (r) => {
      expect(cronPod(r).securityContext).toEqual({ seccompProfile: { type: 'Localhost' }, runAsNonRoot: false });
      expect(r.errs).toEqual(['seccompProfile: type Localhost needs localhostProfile']);
    },
  },
  {
    kind: 'trait',
    title: 'service-binding: variables from Secret keys, the key named like the variable by default',
    definition: 'service-binding',
    base: web,
    parameter: { envMappings: { DB_PASSWORD: { secret: 'db-conn', key: 'password' }, DB_HOST: { secret: 'db-conn' } } },
    check: (r) =>
      expect(containers(r)).toEqual([
        {
          name: 'web',
          env: [
            { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-conn', key: 'password' } } },
            { name: 'DB_HOST', valueFrom: { secretKeyRef: { name: 'db-conn', key: 'DB_HOST' } } },
          ],
        },
      ]),
  },
  {
    kind: 'trait',
    title: 'topologyspreadconstraints: spread over zones and nodes, with the fields of Kubernetes 1.26',
    definition: 'topologyspreadconstraints',
    base: web,
    context: { clusterVersion: { ...CLUSTER_1_28 } },
    parameter: {
      constraints: [
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { 'app.oam.dev/component': 'web' } }, minDomains: 2 },
        { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchExpressions: [{ key: 'tier', values: ['web'] }] }, nodeTaintsPolicy: 'Honor' },
      ],
    },
    check: (r) =>
      expect((r.patch as Any).spec.template.spec.topologySpreadConstraints).toEqual([
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { 'app.oam.dev/component': 'web' } }, minDomains: 2 },
        { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] }, nodeTaintsPolicy: 'Honor' },
      ]),
  },
  {
    kind: 'trait',
    title: 'topologyspreadconstraints: on a CronJob',
    definition: 'topologyspreadconstraints',
    base: cron,
    parameter: { constraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.oam.dev/component': 'report' } } }] },
    check: (r) =>
      expect(cronPod(r).topologySpreadConstraints).toEqual([
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { 'app.oam.dev/component': 'report' } } },
      ]),
  },
  {
    kind: 'trait',
    title: 'pure-ingress: an Ingress to the Service named like the service, none created',
    definition: 'pure-ingress',
    base: { definition: 'webservice', parameter: { image: 'nginx:1.25', ports: [{ port: 80, expose: true }] } },
    parameter: { domain: 'shop.example.com', http: { '/': 80 } },
    check: (r) => {
      expect(Object.keys(r.outputs!)).toEqual(['ingress']);
      const ing = r.outputs!['ingress'] as Any;
      expect(ing.apiVersion).toBe('networking.k8s.io/v1');
      expect(ing.spec.rules).toEqual([{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { number: 80 } } } }] } }]);
    },
  },
];

const deprecated: TraitCase[] = [
  {
    kind: 'trait',
    title: 'ingress: a Service and an Ingress, networking.k8s.io/v1 on Kubernetes 1.20',
    definition: 'ingress',
    base: web,
    parameter: { domain: 'shop.example.com', http: { '/': 8080, '/api': 8080, '/metrics': 9090 } },
    check: (r) => {
      expect(Object.keys(r.outputs!)).toEqual(['service', 'ingress']);
      expect((r.outputs!['service'] as Any).spec).toEqual({
        selector: { 'app.oam.dev/component': 'web' },
        ports: [
          { name: 'port-8080', port: 8080, targetPort: 8080, protocol: 'TCP' },
          { name: 'port-9090', port: 9090, targetPort: 9090, protocol: 'TCP' },
        ],
      });
      const ing = r.outputs!['ingress'] as Any;
      expect(ing.apiVersion).toBe('networking.k8s.io/v1');
      expect(ing.spec.rules[0].host).toBe('shop.example.com');
      expect(ing.spec.rules[0].http.paths.map((p: Any) => [p.path, p.backend.service.port.number])).toEqual([
        ['/', 8080],
        ['/api', 8080],
        ['/metrics', 9090],
      ]);
    },
  },
  {
    kind: 'trait',
    title: 'ingress: networking.k8s.io/v1beta1 below Kubernetes 1.19',
    definition: 'ingress',
    base: web,
    parameter: { domain: 'old.example.com', http: { '/': 8080 } },
    context: { clusterVersion: { major: 1, minor: 18, gitVersion: 'v1.18.20' } },
    check: (r) => {
      const ing = r.outputs!['ingress'] as Any;
      expect(ing.apiVersion).toBe('networking.k8s.io/v1beta1');
      expect(ing.spec.rules[0].http.paths).toEqual([{ path: '/', backend: { serviceName: 'web', servicePort: 8080 } }]);
    },
  },
  {
    kind: 'trait',
    title: 'ingress-1-20: networking.k8s.io/v1 with the class annotation',
    definition: 'ingress-1-20',
    base: web,
    parameter: { domain: 'shop.example.com', http: { '/': 8080 }, class: 'traefik' },
    context: { clusterVersion: { ...CLUSTER_1_28 } },
    check: (r) => {
      const ing = r.outputs!['ingress'] as Any;
      expect(ing.metadata.annotations).toEqual({ 'kubernetes.io/ingress.class': 'traefik' });
      expect(ing.spec.rules[0].http.paths).toEqual([{ path: '/', pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { number: 8080 } } } }]);
      expect((r.outputs!['service'] as Any).spec.ports).toEqual([{ name: 'port-8080', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    },
  },
  {
    kind: 'trait',
    title: 'volumes: pod volumes of every kind',
    definition: 'volumes',
    base: web,
    parameter: {
      volumes: [
        { name: 'data', type: 'pvc', claimName: 'web-data' },
        { name: 'conf', type: 'configMap', cmName: 'web-conf', items: [{ key: 'app.yaml', path: 'app.yaml' }] },
        { name: 'creds', type: 'secret', secretName: 'web-creds', defaultMode: 256 },
        { name: 'scratch' },
      ],
    },
    check: (r) => {
      expect((r.patch as Any).spec.template.spec.volumes).toEqual([
        { name: 'data', persistentVolumeClaim: { claimName: 'web-data' } },
        { name: 'conf', configMap: { name: 'web-conf', defaultMode: 420, items: [{ key: 'app.yaml', path: 'app.yaml', mode: 511 }] } },
        { name: 'creds', secret: { secretName: 'web-creds', defaultMode: 256 } },
        { name: 'scratch', emptyDir: { medium: '' } },
      ]);
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'volumes: a secret volume without its Secret is a user error',
    definition: 'volumes',
    base: web,
    parameter: { volumes: [{ name: 'creds', type: 'secret' }] },
    check: (r) => expect(r.errs).toEqual(['volume "creds" of type secret needs secretName']),
  },
  {
    kind: 'trait',
    title: 'pvc: a claim mounted into the main container',
    definition: 'pvc',
    base: web,
    parameter: {
      claimName: 'web-data',
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'standard',
      resources: { requests: { storage: '8Gi' }, limits: { storage: '16Gi' } },
      selector: { matchLabels: { tier: 'fast' } },
      volumesToMount: [{ name: 'data', mountPath: '/data' }],
    },
    check: (r) => {
      const pod = (r.patch as Any).spec.template.spec;
      expect(pod.containers).toEqual([{ name: 'web', volumeMounts: [{ name: 'data', mountPath: '/data' }] }]);
      expect(pod.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'web-data' } }]);
      const claim = r.outputs!['claim'] as Any;
      expect(claim.metadata.name).toBe('web-data');
      expect(claim.spec).toEqual({
        accessModes: ['ReadWriteOnce'],
        volumeMode: 'Filesystem',
        storageClassName: 'standard',
        resources: { requests: { storage: '8Gi' }, limits: { storage: '16Gi' } },
        selector: { matchLabels: { tier: 'fast' } },
      });
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'pvc: a Block volume as a device, filled from a snapshot',
    definition: 'pvc',
    base: stateful,
    parameter: {
      claimName: 'raw',
      volumeMode: 'Block',
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
      dataSource: { name: 'raw-snap', kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' },
      volumesToMount: [{ name: 'raw', devicePath: '/dev/xvda' }],
    },
    check: (r) => {
      expect(containers(r)).toEqual([{ name: 'db', volumeDevices: [{ name: 'raw', devicePath: '/dev/xvda' }] }]);
      expect((r.outputs!['claim'] as Any).spec.dataSource).toEqual({ name: 'raw-snap', kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' });
    },
  },
  {
    kind: 'trait',
    title: 'pvc: a Filesystem volume without mountPath is a user error',
    definition: 'pvc',
    base: web,
    parameter: { claimName: 'd', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumesToMount: [{ name: 'd', devicePath: '/dev/x' }] },
    check: (r) => expect(r.errs).toEqual(['volumesToMount "d": a Filesystem volume needs mountPath']),
  },
  {
    kind: 'trait',
    title: 'configmap: mounts ConfigMaps, creating those given with data',
    definition: 'configmap',
    base: web,
    parameter: { volumes: [{ name: 'web-conf', mountPath: '/etc/web', data: { 'app.yaml': 'debug: false\n' } }, { name: 'shared', mountPath: '/etc/shared', readOnly: true }] },
    check: (r) => {
      const pod = (r.patch as Any).spec.template.spec;
      expect(pod.containers).toEqual([
        {
          name: 'web',
          volumeMounts: [
            { name: 'volume-web-conf', mountPath: '/etc/web', readOnly: false },
            { name: 'volume-shared', mountPath: '/etc/shared', readOnly: true },
          ],
        },
      ]);
      expect(pod.volumes).toEqual([
        { name: 'volume-web-conf', configMap: { name: 'web-conf' } },
        { name: 'volume-shared', configMap: { name: 'shared' } },
      ]);
      expect(Object.keys(r.outputs!)).toEqual(['web-conf']);
      expect((r.outputs!['web-conf'] as Any).data).toEqual({ 'app.yaml': 'debug: false\n' });
    },
  },
  {
    kind: 'trait',
    title: 'node-affinity: required node labels and tolerations',
    definition: 'node-affinity',
    base: web,
    parameter: { affinity: { disktype: ['ssd', 'nvme'] }, tolerations: { dedicated: 'web' } },
    check: (r) => {
      const pod = (r.patch as Any).spec.template.spec;
      expect(pod.affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd', 'nvme'] }] }] } } });
      expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }]);
    },
  },
  {
    kind: 'trait',
    title: 'node-affinity: on a CronJob',
    definition: 'node-affinity',
    base: cron,
    parameter: { tolerations: { batch: 'true' } },
    check: (r) => expect(cronPod(r).tolerations).toEqual([{ key: 'batch', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]),
  },
];

/** Parameters KubeVela's definitions accept that ours refused or rendered into objects the API server refuses. */
const fixes: TraitCase[] = [
  {
    kind: 'trait',
    title: 'storage: only emptyDir',
    definition: 'storage',
    base: web,
    parameter: { emptyDir: [{ name: 'cache', mountPath: '/cache' }] },
    check: (r) => {
      const pod = (r.patch as Any).spec.template.spec;
      expect(pod.volumes).toEqual([{ name: 'emptydir-cache', emptyDir: { medium: '' } }]);
      expect(pod.containers).toEqual([{ name: 'web', volumeMounts: [{ name: 'emptydir-cache', mountPath: '/cache' }] }]);
      expect(r.outputs ?? {}).toEqual({});
    },
  },
  {
    kind: 'trait',
    title: 'securitycontext: privileged may escalate privileges',
    definition: 'securitycontext',
    base: web,
    parameter: { privileged: true },
    check: (r) => {
      expect(containers(r)[0].securityContext).toEqual({ allowPrivilegeEscalation: true, privileged: true, readOnlyRootFilesystem: false, runAsNonRoot: true });
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'securitycontext: privileged without escalation is a user error',
    definition: 'securitycontext',
    base: web,
    parameter: { privileged: true, allowPrivilegeEscalation: false },
    check: (r) => expect(r.errs).toEqual(['securitycontext: a privileged container always may escalate privileges; drop allowPrivilegeEscalation: false (container "web")']),
  },
  {
    kind: 'trait',
    title: 'service-account: privileges without apiGroups get the core group; a ClusterRole named <namespace>:<account>',
    definition: 'service-account',
    base: web,
    parameter: { name: 'frontend-sa', create: true, privileges: [{ verbs: ['get', 'list'], resources: ['pods'] }, { verbs: ['get'], resources: ['nodes'], scope: 'cluster' }] },
    check: (r) => {
      expect((r.outputs!['role'] as Any).rules).toEqual([{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }]);
      expect((r.outputs!['cluster-role'] as Any).metadata.name).toBe('default:frontend-sa');
      expect((r.outputs!['cluster-role'] as Any).rules).toEqual([{ verbs: ['get'], apiGroups: [''], resources: ['nodes'] }]);
      expect((r.outputs!['cluster-role-binding'] as Any).roleRef.name).toBe('default:frontend-sa');
    },
  },
];

export const kubevelaTraitCases: TraitCase[] = [...internal, ...deprecated, ...fixes];

export const kubevelaStatusCases: StatusCase[] = [
  {
    kind: 'status',
    title: 'route customStatus: https URL and the load balancer IP',
    definition: 'route',
    field: 'customStatus',
    parameter: { domain: 'example.com', http: { '/': 8080 } },
    context: {
      appName: 'testapp',
      outputs: { ingress: { kind: 'Ingress', spec: { tls: [{ hosts: ['example.com'] }], rules: [{ host: 'example.com' }] }, status: { loadBalancer: { ingress: [{ ip: '10.1.2.3' }] } } } },
    },
    check: (r) => expect(r['message']).toBe('Visiting URL: https://example.com, IP: 10.1.2.3'),
  },
  {
    kind: 'status',
    title: 'route customStatus: no address yet',
    definition: 'route',
    field: 'customStatus',
    parameter: { http: { '/': 8080 } },
    context: { appName: 'testapp', outputs: { ingress: { kind: 'Ingress', spec: { rules: [{}] } } } },
    check: (r) => expect(r['message']).toBe("No load balancer address yet; try 'vela port-forward testapp'"),
  },
  {
    kind: 'status',
    title: 'ingress healthPolicy: the Service has its cluster IP',
    definition: 'ingress',
    field: 'healthPolicy',
    context: { outputs: { service: { kind: 'Service', spec: { clusterIP: '10.96.0.7' } }, ingress: { kind: 'Ingress' } } },
    check: (r) => expect(r['isHealth']).toBe(true),
  },
  {
    kind: 'status',
    title: 'pure-ingress customStatus',
    definition: 'pure-ingress',
    field: 'customStatus',
    context: { appName: 'shop', outputs: { ingress: { kind: 'Ingress', spec: { rules: [{ host: 'shop.example.com' }] }, status: { loadBalancer: { ingress: [{ ip: '10.0.0.9' }] } } } } },
    check: (r) => expect(r['message']).toBe('Visiting URL: shop.example.com, IP: 10.0.0.9'),
  },
];
