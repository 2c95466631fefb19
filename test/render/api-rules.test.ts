/**
 * The API server's own rules (api-rules.ts) and the schema check, through
 * checkObjects as vela runs them: each refused case is found at the field the
 * API server names, each accepted one passes. api-rules.e2e.test.ts checks the
 * real kube-apiserver agrees on the same cases.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/appfile/model.js';
import { manifestProblems } from '../../src/pipeline/check-manifests.js';
import { apiServerProblems, checkObjects, type Manifest } from '../../src/render/index.js';
import { SourceFile } from '../../src/source/index.js';
import { ACCEPTED, REFUSED } from './api-rule-cases.js';

const manifest = (object: unknown, fields: Record<string, number> = {}): Manifest => {
  const file = new SourceFile('vela.yaml', 'name: app\nservices:\n  web:\n    image: nginx\n    port: 70000\n');
  return {
    object: object as JsonObject,
    origin: {
      service: 'web',
      definition: 'webservice',
      span: { file, start: 22, end: 25 },
      fields: { get: (f) => (fields[f] !== undefined ? { file, start: fields[f]!, end: fields[f]! + 5 } : undefined) },
    },
  };
};

describe('what the API server refuses', () => {
  it.each(REFUSED)('refuses %s, at the field it names', async (_what, object, field) => {
    const problems = await manifestProblems([manifest(object)]);
    expect(problems.map((d) => d.message)).toContainEqual(expect.stringContaining(`: ${field}: `));
    expect(problems.every((d) => d.severity === 'error' && d.code === 'kube/invalid')).toBe(true);
  });

  it.each(ACCEPTED)('accepts %s', async (_what, object) => {
    expect((await manifestProblems([manifest(object)])).map((d) => d.message)).toEqual([]);
  });

  it('points at the Appfile value that made the field, with the service as a related place', () => {
    const [d] = checkObjects([manifest(REFUSED[0]![1], { 'spec.template.spec.containers[0].ports[0].containerPort': 54 })]);
    expect(d!.message).toBe('invalid Deployment web (service web): spec.template.spec.containers[0].ports[0].containerPort: 70000 is not a valid port number: it must be between 1 and 65535');
    expect(d!.span!.file.lineCol(d!.span!.start)).toEqual({ line: 5, column: 11 });
    expect(d!.related?.map((s) => s.file.lineCol(s.start).line)).toEqual([3]);
  });

  it('never shows a Secret value', () => {
    const problems = apiServerProblems({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'hunter2 is not base64' } });
    expect(problems).toEqual([{ field: 'data[a]', message: 'the value is not valid base64 (use stringData for plain text)' }]);
  });

  it('refuses an API version the target cluster does not serve', () => {
    const hpa = manifest({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: {} });
    expect(checkObjects([hpa], { clusterVersion: { major: 1, minor: 20, gitVersion: 'v1.20.0' } }).map((d) => d.message)).toEqual([
      'cannot deploy HorizontalPodAutoscaler web (service web): autoscaling/v2 HorizontalPodAutoscaler is not served by Kubernetes 1.20 (it is from 1.23 on)',
    ]);
    expect(checkObjects([hpa], { clusterVersion: { major: 1, minor: 23, gitVersion: 'v1.23.0' } })).toEqual([]);
  });

  it('leaves kinds it has no schema for to their own rules (custom resources)', async () => {
    expect(await manifestProblems([manifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { port: 'anything' } })])).toEqual([]);
  });
});
