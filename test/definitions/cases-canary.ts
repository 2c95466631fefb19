/**
 * The definitions that read live objects through `observe` (vela's
 * extension): the talk's `canary` trait and KubeVela's `ref-objects`
 * component. `context.observed` is given here as the pipeline gives it (the
 * live objects without status and managedFields); test/render/observe.test.ts
 * covers the two passes and test/canary the real cluster.
 */
import { expect } from 'vitest';
import type { ComponentCase, JsonObject, StatusCase, TraitCase } from './harness.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const image = (tag: string) => `oamdev/testapp:${tag}`;
const talkBase = (tag = 'v1'): TraitCase['base'] => ({ definition: 'webservice', service: 'express-server', parameter: { image: image(tag), cmd: ['node', 'server.js'] } });

/** What the route trait gives for the talk's `route: {domain: example.com, http: {"/": 8080}}`, as context.outputs. */
function routeOutputs(legacy = false): JsonObject {
  const backend: JsonObject = legacy ? { serviceName: 'express-server', servicePort: 8080 } : { service: { name: 'express-server', port: { number: 8080 } } };
  const metadata: JsonObject = legacy ? { name: 'express-server', annotations: { 'kubernetes.io/ingress.class': 'nginx' } } : { name: 'express-server' };
  const rules = [{ host: 'example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }];
  return {
    ingress: {
      apiVersion: legacy ? 'networking.k8s.io/v1beta1' : 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata,
      spec: legacy ? { rules } : { ingressClassName: 'nginx', rules },
    },
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'express-server' },
      spec: { selector: { 'app.oam.dev/component': 'express-server' }, ports: [{ name: 'port-8080', port: 8080, targetPort: 8080, protocol: 'TCP' }] },
    },
  };
}

/** A live Deployment as the cluster gives it to a template. */
function liveDeployment(name: string, tag: string, annotations?: Record<string, string>): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', resourceVersion: '812', generation: 2, labels: { 'app.oam.dev/component': 'express-server' }, ...(annotations && { annotations }) },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'app.oam.dev/component': 'express-server' } },
      template: { metadata: { labels: { 'app.oam.dev/component': 'express-server' } }, spec: { containers: [{ name: 'express-server', image: image(tag), command: ['node', 'server.js'] }] } },
    },
  };
}

const header = { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-by-header': 'foo', 'nginx.ingress.kubernetes.io/canary-by-header-pattern': 'bar.*' };
const canaryPod = (r: { outputs?: Record<string, JsonObject> }): Any => (r.outputs!['canary'] as Any).spec.template;
const operations = (r: { patch?: JsonObject }): Any[] => (r.patch as Any).operations;

const canary: TraitCase[] = [
  {
    kind: 'trait',
    title: "canary: the talk's section on a first deploy — a canary Deployment, Service and Ingress routed by the header foo",
    definition: 'canary',
    base: talkBase(),
    parameter: { replica: 1, headers: ['foo:bar.*'] },
    context: { outputs: routeOutputs(), observed: {}, clusterConnected: true },
    check: (r, base) => {
      expect((r as Any).observe).toEqual({
        stable: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'express-server' },
        canary: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'express-server-canary' },
      });
      // Nothing is found: both run the release.
      expect(operations(r)).toEqual([]);
      expect(Object.keys(r.outputs!)).toEqual(['canary', 'canary-service', 'canary-ingress']);
      const d = r.outputs!['canary'] as Any;
      expect(d.metadata).toEqual({ name: 'express-server-canary', labels: { 'app.oam.dev/track': 'canary' } });
      expect(d.spec.replicas).toBe(1);
      expect(d.spec.selector).toEqual({ matchLabels: { 'app.oam.dev/component': 'express-server', 'app.oam.dev/track': 'canary' } });
      const stablePod = (base.output as Any).spec.template;
      // The same pods as the stable workload, plus the track label.
      expect(canaryPod(r)).toEqual({ ...stablePod, metadata: { ...stablePod.metadata, labels: { ...stablePod.metadata.labels, 'app.oam.dev/track': 'canary' } } });
      expect((r.outputs!['canary-service'] as Any).spec).toEqual({
        selector: { 'app.oam.dev/component': 'express-server', 'app.oam.dev/track': 'canary' },
        ports: [{ name: 'port-8080', port: 8080, targetPort: 8080, protocol: 'TCP' }],
      });
      const ing = r.outputs!['canary-ingress'] as Any;
      expect(ing.apiVersion).toBe('networking.k8s.io/v1');
      expect(ing.metadata).toEqual({ name: 'express-server-canary', annotations: header });
      expect(ing.spec).toEqual({
        ingressClassName: 'nginx',
        rules: [{ host: 'example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'express-server-canary', port: { number: 8080 } } } }] } }],
      });
      expect(r.errs).toEqual([]);
      expect(r.warnings).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'canary: a new release goes to the canary only; the stable Deployment keeps the image it runs',
    definition: 'canary',
    base: talkBase('v2'),
    parameter: { replica: 1, headers: ['foo:bar.*'] },
    context: { outputs: routeOutputs(), observed: { stable: liveDeployment('express-server', 'v1'), canary: liveDeployment('express-server-canary', 'v1') }, clusterConnected: true },
    check: (r) => {
      expect(operations(r)).toEqual([{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image('v1') }]);
      expect(canaryPod(r).spec.containers[0].image).toBe(image('v2'));
      expect(r.warnings).toEqual([`the release (express-server=${image('v2')}) goes to express-server-canary only; express-server keeps ${image('v1')} until \`vela canary promote express-server\``]);
    },
  },
  {
    kind: 'trait',
    title: 'canary: after promote, the stable Deployment runs the release and nothing is pinned',
    definition: 'canary',
    base: talkBase('v2'),
    parameter: { replica: 1, headers: ['foo:bar.*'] },
    context: { outputs: routeOutputs(), observed: { stable: liveDeployment('express-server', 'v2'), canary: liveDeployment('express-server-canary', 'v2') }, clusterConnected: true },
    check: (r) => {
      expect(operations(r)).toEqual([]);
      expect(canaryPod(r).spec.containers[0].image).toBe(image('v2'));
      expect(r.warnings).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'canary: after abort, the aborted release stays off the canary until the Appfile names another',
    definition: 'canary',
    base: talkBase('v2'),
    parameter: { replica: 1, headers: ['foo:bar.*'] },
    context: {
      outputs: routeOutputs(),
      observed: { stable: liveDeployment('express-server', 'v1'), canary: liveDeployment('express-server-canary', 'v1', { 'app.oam.dev/canary-aborted': `express-server=${image('v2')}` }) },
      clusterConnected: true,
    },
    check: (r) => {
      expect(canaryPod(r).spec.containers[0].image).toBe(image('v1'));
      // The mark stays, so that the next `vela up` of the same Appfile holds the release back too.
      expect((r.outputs!['canary'] as Any).metadata.annotations).toEqual({ 'app.oam.dev/canary-aborted': `express-server=${image('v2')}` });
      expect(operations(r)).toEqual([{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image('v1') }]);
      expect(r.warnings).toEqual([`the release (express-server=${image('v2')}) was aborted: express-server-canary stays on the stable images until the Appfile names others`]);
    },
  },
  {
    kind: 'trait',
    title: 'canary: a release other than the aborted one goes to the canary, and the mark goes',
    definition: 'canary',
    base: talkBase('v3'),
    parameter: { replica: 2, weight: 10 },
    context: {
      outputs: routeOutputs(),
      observed: { stable: liveDeployment('express-server', 'v1'), canary: liveDeployment('express-server-canary', 'v1', { 'app.oam.dev/canary-aborted': `express-server=${image('v2')}` }) },
      clusterConnected: true,
    },
    check: (r) => {
      expect(canaryPod(r).spec.containers[0].image).toBe(image('v3'));
      expect((r.outputs!['canary'] as Any).metadata.annotations).toBeUndefined();
      expect((r.outputs!['canary'] as Any).spec.replicas).toBe(2);
      // weight alone: a share of the requests, no header.
      expect((r.outputs!['canary-ingress'] as Any).metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '10' });
    },
  },
  {
    kind: 'trait',
    title: 'canary: Kubernetes 1.18 — the canary Ingress in networking.k8s.io/v1beta1, with the class annotation',
    definition: 'canary',
    base: talkBase(),
    parameter: { headers: ['x-beta: ^yes$'] },
    context: { outputs: routeOutputs(true), clusterVersion: { major: 1, minor: 18, gitVersion: 'v1.18.20' } },
    check: (r) => {
      const ing = r.outputs!['canary-ingress'] as Any;
      expect(ing.apiVersion).toBe('networking.k8s.io/v1beta1');
      expect(ing.metadata.annotations).toEqual({
        'kubernetes.io/ingress.class': 'nginx',
        'nginx.ingress.kubernetes.io/canary': 'true',
        'nginx.ingress.kubernetes.io/canary-by-header': 'x-beta',
        'nginx.ingress.kubernetes.io/canary-by-header-pattern': '^yes$',
      });
      expect(ing.spec).toEqual({ rules: [{ host: 'example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { serviceName: 'express-server-canary', servicePort: 8080 } }] } }] });
    },
  },
  {
    kind: 'trait',
    title: 'canary: without a route and without routing, the canary Deployment alone',
    definition: 'canary',
    base: talkBase(),
    parameter: {},
    check: (r) => {
      expect(Object.keys(r.outputs!)).toEqual(['canary']);
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'trait',
    title: 'canary: headers without a route are a user error, and so are two headers',
    definition: 'canary',
    base: talkBase(),
    parameter: { headers: ['foo:bar.*', 'x-beta:yes'] },
    check: (r) => {
      expect(r.errs).toEqual([
        'headers: ingress-nginx routes a canary by one header; give one entry (got 2)',
        "headers route requests through the service's route, and express-server has none: add a route section before canary",
      ]);
      expect(r.outputs!['canary-ingress']).toBeUndefined();
    },
  },
  {
    kind: 'trait',
    title: 'canary: provider flagger — a Flagger Canary with the header match, through the route and the autoscaler',
    definition: 'canary',
    base: talkBase(),
    parameter: { provider: 'flagger', headers: ['foo:bar.*'] },
    context: {
      outputs: {
        ...routeOutputs(),
        'scaled-object': { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'express-server' }, spec: { scaleTargetRef: { name: 'express-server' }, triggers: [] } },
      },
    },
    check: (r) => {
      // Flagger moves the images: nothing is read, nothing pinned, no canary Deployment of vela's.
      expect((r as Any).observe).toBeUndefined();
      expect(operations(r)).toEqual([]);
      expect(Object.keys(r.outputs!)).toEqual(['canary']);
      const c = r.outputs!['canary'] as Any;
      expect(c.apiVersion).toBe('flagger.app/v1beta1');
      expect(c.spec).toEqual({
        provider: 'nginx',
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'express-server' },
        ingressRef: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'express-server' },
        autoscalerRef: { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: 'express-server' },
        service: { port: 8080, targetPort: 8080 },
        analysis: { interval: '1m', threshold: 5, iterations: 10, match: [{ headers: { foo: { regex: 'bar.*' } } }] },
      });
    },
  },
  {
    kind: 'trait',
    title: 'canary: provider flagger with a weight — traffic moves in steps up to it',
    definition: 'canary',
    base: talkBase(),
    parameter: { provider: 'flagger', weight: 30, stepWeight: 5, interval: '30s' },
    context: { outputs: routeOutputs() },
    check: (r) => expect((r.outputs!['canary'] as Any).spec.analysis).toEqual({ interval: '30s', threshold: 5, maxWeight: 30, stepWeight: 5 }),
  },
];

/** A live Secret and Service as the cluster gives them (status and managedFields already left out by vela). */
const liveSecret: JsonObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'image-credential-to-copy', namespace: 'default', uid: 'a5c1', resourceVersion: '77', creationTimestamp: '2024-01-01T00:00:00Z', labels: { team: 'web' } },
  type: 'kubernetes.io/dockerconfigjson',
  data: { '.dockerconfigjson': 'e30=' },
};
const liveService = (name: string): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'shared', uid: `u-${name}`, resourceVersion: '90', labels: { tier: 'db' }, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'y' }] },
  spec: { clusterIP: '10.0.0.12', clusterIPs: ['10.0.0.12'], selector: { app: name }, ports: [{ port: 5432, targetPort: 5432, protocol: 'TCP' }], type: 'ClusterIP' },
});

const refObjects: (ComponentCase | StatusCase)[] = [
  {
    kind: 'component',
    title: 'ref-objects: without a cluster, an error that says it needs one',
    definition: 'ref-objects',
    service: 'creds',
    parameter: { objects: [{ resource: 'secret', name: 'image-credential-to-copy' }] },
    context: { clusterConnected: false, observed: {} },
    check: (r) => {
      expect((r as Any).observe).toEqual({ 'object-0': { apiVersion: 'v1', kind: 'Secret', name: 'image-credential-to-copy' } });
      expect(r.output).toBeUndefined();
      expect(r.errs).toEqual([
        'ref-objects reads its objects from the cluster, and no cluster was read (vela dry-run renders without one): use vela up, vela up --plan or vela diff, or write the objects out with k8s-objects',
      ]);
    },
  },
  {
    kind: 'component',
    title: 'ref-objects: a Secret by resource and Services by labels, as read from the cluster, without what belongs to their place there',
    definition: 'ref-objects',
    service: 'creds',
    parameter: { objects: [{ resource: 'secret', name: 'image-credential-to-copy' }, { resource: 'services', namespace: 'shared', labelSelector: { tier: 'db' } }] },
    context: { clusterConnected: true, observed: { 'object-0': liveSecret, 'object-1': [liveService('pg'), liveService('pg-replica')] } },
    check: (r) => {
      expect((r as Any).observe['object-1']).toEqual({ apiVersion: 'v1', kind: 'Service', namespace: 'shared', labelSelector: { tier: 'db' } });
      expect(r.output).toEqual({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'image-credential-to-copy', namespace: 'default', labels: { team: 'web' } },
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': 'e30=' },
      });
      expect(Object.keys(r.outputs!)).toEqual(['objects-1', 'objects-2']);
      expect(r.outputs!['objects-2']).toEqual({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'pg-replica', namespace: 'shared', labels: { tier: 'db' } },
        // The cluster IP is the cluster's to give.
        spec: { selector: { app: 'pg-replica' }, ports: [{ port: 5432, targetPort: 5432, protocol: 'TCP' }], type: 'ClusterIP' },
      });
      expect(r.errs).toEqual([]);
    },
  },
  {
    kind: 'component',
    title: "ref-objects: apiVersion and kind instead of resource; the name defaults to the service's",
    definition: 'ref-objects',
    service: 'web',
    parameter: { objects: [{ apiVersion: 'apps/v1', kind: 'Deployment' }] },
    context: { clusterConnected: true, observed: { 'object-0': liveDeployment('web', 'v1') } },
    check: (r) => {
      expect((r as Any).observe).toEqual({ 'object-0': { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } });
      expect((r.output as Any).metadata).toEqual({ name: 'web', namespace: 'default', labels: { 'app.oam.dev/component': 'express-server' } });
      expect((r.output as Any).spec.replicas).toBe(2);
    },
  },
  {
    kind: 'component',
    title: 'ref-objects: an object not in the cluster is an error naming it',
    definition: 'ref-objects',
    service: 'creds',
    parameter: { objects: [{ resource: 'configmap', name: 'settings' }] },
    context: { clusterConnected: true, observed: {} },
    check: (r) => expect(r.errs).toEqual(['objects[0]: ConfigMap default/settings is not in the cluster']),
  },
  {
    kind: 'component',
    title: 'ref-objects: an unknown resource, name with labels, another cluster and urls are errors, and nothing is read',
    definition: 'ref-objects',
    service: 'creds',
    parameter: {
      objects: [{ resource: 'widgets', name: 'a' }, { resource: 'secret', name: 'b', labelSelector: { a: 'b' } }, { resource: 'secret', cluster: 'hangzhou' }],
      urls: ['https://example.com/objects.yaml'],
    },
    context: { clusterConnected: true, observed: {} },
    check: (r) => {
      expect((r as Any).observe).toBeUndefined();
      expect(r.errs).toEqual([
        'urls: vela does not load objects from URLs; list the objects under objects, or write them out with k8s-objects',
        'objects[0]: resource "widgets" is not one vela knows; give apiVersion and kind instead',
        'objects[1]: name and labelSelector cannot be both set',
        'objects[2]: cluster "hangzhou": vela reads objects from the cluster it delivers to; leave cluster out',
      ]);
    },
  },
  {
    kind: 'status',
    title: 'ref-objects healthPolicy: a Deployment with every replica ready and updated is healthy; other kinds once they exist',
    definition: 'ref-objects',
    field: 'healthPolicy',
    context: { output: { ...liveDeployment('web', 'v1'), status: { readyReplicas: 2, updatedReplicas: 2 } } },
    check: (r) => expect(r['isHealth']).toBe(true),
  },
  {
    kind: 'status',
    title: 'ref-objects healthPolicy: a Deployment still rolling out is not healthy',
    definition: 'ref-objects',
    field: 'healthPolicy',
    context: { output: { ...liveDeployment('web', 'v1'), status: { readyReplicas: 1, updatedReplicas: 2 } } },
    check: (r) => expect(r['isHealth']).toBe(false),
  },
  {
    kind: 'status',
    title: 'ref-objects healthPolicy: a Secret is healthy',
    definition: 'ref-objects',
    field: 'healthPolicy',
    context: { output: liveSecret },
    check: (r) => expect(r['isHealth']).toBe(true),
  },
];

export const observeCases = [...canary, ...refObjects];
