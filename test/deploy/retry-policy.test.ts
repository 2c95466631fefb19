/**
 * Which failures are retried and how long vela waits: the pure policy, then
 * the requester that follows it (over a scripted transport, with the waits
 * recorded instead of slept).
 */
import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../src/host/index.js';
import { ApiError, KubeClient, parseStatus } from '../../src/deploy/index.js';
import { defaultRetryPolicy, isRetryable, retryDelay } from '../../src/deploy/api/index.js';
import { scriptedTarget, scriptedTransport } from './support/scripted-transport.js';

const status = (code: number, reason: string, causes: Array<{ reason?: string; message?: string; field?: string }> = [], retryAfter?: number) =>
  parseStatus(code, JSON.stringify({ kind: 'Status', reason, message: `${reason} happened`, details: { causes } }), 'PATCH /x', retryAfter);
const socket = (code: string) => Object.assign(new Error(code), { code });
const policy = { retries: 4, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('retry policy', () => {
  it('retries 429, 5xx and optimistic-concurrency 409s', () => {
    expect(isRetryable(status(429, 'TooManyRequests'))).toBe(true);
    expect(isRetryable(status(500, 'InternalError'))).toBe(true);
    expect(isRetryable(status(503, 'ServiceUnavailable'))).toBe(true);
    expect(isRetryable(status(409, 'Conflict'))).toBe(true);
  });

  it('does not retry a field-manager conflict, AlreadyExists, or any other 4xx', () => {
    expect(isRetryable(status(409, 'Conflict', [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.replicas' }]))).toBe(false);
    expect(isRetryable(status(409, 'AlreadyExists'))).toBe(false);
    for (const [code, reason] of [[400, 'BadRequest'], [401, 'Unauthorized'], [403, 'Forbidden'], [404, 'NotFound'], [422, 'Invalid']] as const) {
      expect(isRetryable(status(code, reason)), `${code}`).toBe(false);
    }
  });

  it('retries dropped and timed-out connections, not TLS failures or an abort', () => {
    for (const code of ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED']) expect(isRetryable(socket(code)), code).toBe(true);
    expect(isRetryable(socket('DEPTH_ZERO_SELF_SIGNED_CERT'))).toBe(false);
    expect(isRetryable(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBe(false);
    expect(isRetryable(new Error('something else'))).toBe(false);
  });

  it('backs off exponentially with jitter, capped, and stops after the last retry', () => {
    const err = status(503, 'ServiceUnavailable');
    // random() = 0 gives half the backoff, 1 the whole of it.
    expect([0, 1, 2, 3].map((attempt) => retryDelay(err, attempt, policy, () => 0))).toEqual([50, 100, 200, 400]);
    expect([0, 1, 2, 3].map((attempt) => retryDelay(err, attempt, policy, () => 1))).toEqual([100, 200, 400, 800]);
    expect(retryDelay(err, 3, { ...policy, maxDelayMs: 300 }, () => 1)).toBe(300);
    expect(retryDelay(err, 4, policy)).toBeUndefined();
    expect(retryDelay(status(422, 'Invalid'), 0, policy)).toBeUndefined();
  });

  it('waits at least what Retry-After asks, within the cap', () => {
    expect(retryDelay(status(429, 'TooManyRequests', [], 1), 0, { ...policy, maxDelayMs: 2_000 }, () => 0)).toBe(1_000);
    expect(retryDelay(status(429, 'TooManyRequests', [], 30), 0, policy, () => 0)).toBe(1_000);
  });

  it('gives a refused connection one retry only: an unreachable server fails fast', () => {
    expect(retryDelay(socket('ECONNREFUSED'), 0, policy, () => 0)).toBe(50);
    expect(retryDelay(socket('ECONNREFUSED'), 1, policy, () => 0)).toBeUndefined();
    expect(retryDelay(socket('ECONNRESET'), 1, policy, () => 0)).toBe(100);
  });

  it('has the defaults vela ships with', () => {
    expect(defaultRetryPolicy).toEqual({ retries: 4, baseDelayMs: 200, maxDelayMs: 5_000 });
  });
});

describe('requests follow the policy', () => {
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'shop' } };
  const core = { json: { resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true }] } };

  it('retries until the server answers, counting every attempt as a write', async () => {
    const waits: number[] = [];
    const transport = scriptedTransport({
      'GET /api/v1': core,
      'PATCH /api/v1/namespaces/shop/configmaps/x': [{ status: 503, body: { kind: 'Status', reason: 'ServiceUnavailable', message: 'etcd leader changed' } }, { error: 'ECONNRESET' }, { status: 201, body: configMap }],
    });
    const client = new KubeClient(scriptedTarget('https://a.example:6443'), { transport, retry: policy, sleep: async (ms) => {
        waits.push(ms);
      }, });
    const written = await client.applyFull(configMap);
    expect(written.created).toBe(true);
    expect(waits).toHaveLength(2);
    expect(client.stats).toMatchObject({ writes: 3, retries: 2, dryRuns: 0 });
    expect(transport.sent.at(-1)!.path).toBe('/api/v1/namespaces/shop/configmaps/x?fieldManager=vela');
  });

  it('gives up on a final answer at once, and names the server and context for rejected credentials', async () => {
    const transport = scriptedTransport({
      'GET /api/v1': core,
      'PATCH /api/v1/namespaces/shop/configmaps/x': { status: 401, body: { kind: 'Status', reason: 'Unauthorized', message: 'Unauthorized' } },
    });
    const client = new KubeClient(scriptedTarget('https://a.example:6443', 'prod'), { transport, retry: policy, sleep: async () => undefined });
    const err = await client.apply(configMap).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).message).toBe('the Kubernetes API server at https://a.example:6443 (context "prod") rejected the credentials: Unauthorized');
    expect(transport.count('PATCH /api/v1/namespaces/shop/configmaps/x')).toBe(1);
    expect(client.stats.retries).toBe(0);
  });

  it('counts dry runs apart from writes', async () => {
    const transport = scriptedTransport({ 'GET /api/v1': core, 'PATCH /api/v1/namespaces/shop/configmaps/x': { status: 200, body: configMap } });
    const client = new KubeClient(scriptedTarget('https://a.example:6443'), { transport });
    await client.apply(configMap, { dryRun: true });
    expect(client.stats).toMatchObject({ writes: 0, dryRuns: 1 });
    expect(transport.sent.at(-1)!.path).toBe('/api/v1/namespaces/shop/configmaps/x?fieldManager=vela&dryRun=All');
  });

  it('parses a Status body into a readable error that keeps its causes', () => {
    const err = status(422, 'Invalid', [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' }]);
    expect(err).toBeInstanceOf(ApiError);
    expect([err.status, err.reason, err.message, err.causes[0]?.field]).toEqual([422, 'Invalid', 'Invalid happened', 'spec.containers[0].image']);
    expect(parseStatus(502, '<html>Bad Gateway</html>\n<body/>').message).toBe('<html>Bad Gateway</html>');
  });
});
