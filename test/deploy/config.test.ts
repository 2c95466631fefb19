import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deleteEnv, initEnv, listEnvs, loadClusterTarget, resolveEnv, setEnv, connect } from '../../src/deploy/index.js';
import { DiagnosticError } from '../../src/source/index.js';
import { EnvironmentError, memoryEnvironment, memoryFileSystem } from '../../src/host/index.js';

function kubeconfigFile(dir: string, file: string, opts: { cluster: string; server: string; context: string; current?: string; namespace?: string }): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters:
- name: ${opts.cluster}
  cluster: {server: "${opts.server}"}
users:
- name: u-${opts.cluster}
  user: {token: t-${opts.cluster}}
contexts:
- name: ${opts.context}
  context: {cluster: ${opts.cluster}, user: u-${opts.cluster}${opts.namespace ? `, namespace: ${opts.namespace}` : ''}}
${opts.current ? `current-context: ${opts.current}` : ''}
`,
  );
  return path;
}

describe('kubeconfig resolution', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vela-kc-'));
  const a = kubeconfigFile(dir, 'a', { cluster: 'one', server: 'https://one:6443', context: 'ctx-a', current: 'ctx-a', namespace: 'team-a' });
  const b = kubeconfigFile(dir, 'b', { cluster: 'one', server: 'https://shadowed:6443', context: 'ctx-b', current: 'ctx-b' });

  it('merges KUBECONFIG files like kubectl: the first definition and the first current-context win', async () => {
    const env = memoryEnvironment({ KUBECONFIG: [join(dir, 'missing'), a, b].join(':') }, '/', dir);
    const t = await loadClusterTarget({ env });
    expect(t.context).toBe('ctx-a');
    expect(t.server).toBe('https://one:6443');
    expect(t.namespace).toBe('team-a');
    expect(t.files).toEqual([a, b]);
    const other = await loadClusterTarget({ env, context: 'ctx-b', namespace: 'override' });
    expect(other.server).toBe('https://one:6443'); // cluster "one" from the first file
    expect(other.namespace).toBe('override');
  });

  it('prefers --kubeconfig, and falls back to ~/.kube/config', async () => {
    expect((await loadClusterTarget({ kubeconfig: b, env: memoryEnvironment({ KUBECONFIG: a }) })).context).toBe('ctx-b');
    const home = mkdtempSync(join(tmpdir(), 'vela-home-'));
    const err = await loadClusterTarget({ env: memoryEnvironment({}, '/', home) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).message).toContain(`no kubeconfig found (looked at ${home}/.kube/config)`);
  });

  it('names the known contexts when --context is wrong', async () => {
    const err = await loadClusterTarget({ kubeconfig: a, context: 'ctx-z' }).then(
      () => undefined,
      (e: unknown) => e as EnvironmentError,
    );
    expect(err?.exitCode).toBe(2);
    expect(err?.diagnostics[0]?.message).toBe(`no context "ctx-z" in the kubeconfig (${a})`);
    expect(err?.diagnostics[0]?.hint).toBe('known contexts: ctx-a');
  });
  it('reads the kubeconfig and the environment through the host, with no disk at all', async () => {
    const text = readFileSync(a, 'utf8');
    const env = memoryEnvironment({}, '/', '/home/dev');
    const fs = memoryFileSystem({ '/home/dev/.kube/config': text });
    const t = await loadClusterTarget({ env, fs });
    expect([t.context, t.server, t.namespace, t.files]).toEqual(['ctx-a', 'https://one:6443', 'team-a', ['/home/dev/.kube/config']]);
    const missing = await loadClusterTarget({ env, fs, kubeconfig: '/nowhere' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(EnvironmentError);
    expect((missing as EnvironmentError).message).toBe('kubeconfig /nowhere does not exist');
  });
});

describe('environments', () => {
  it('init, ls, set, delete under $VELA_HOME', async () => {
    const fs = memoryFileSystem();
    const env = memoryEnvironment({ VELA_HOME: '/vh' });
    const deps = { fs, env };
    expect(await listEnvs(deps)).toEqual({ current: undefined, envs: [] });
    await initEnv({ name: 'prod', namespace: 'shop-prod', context: 'big' }, deps);
    await initEnv({ name: 'dev', namespace: 'shop-dev' }, deps);
    expect(await listEnvs(deps)).toEqual({
      current: 'prod',
      envs: [
        { name: 'dev', namespace: 'shop-dev' },
        { name: 'prod', namespace: 'shop-prod', context: 'big' },
      ],
    });
    expect(JSON.parse(await fs.readText('/vh/envs.json')).current).toBe('prod');
    await setEnv('dev', deps);
    expect((await resolveEnv(undefined, deps))?.namespace).toBe('shop-dev');
    expect((await resolveEnv('prod', deps))?.context).toBe('big');
    await deleteEnv('dev', deps);
    expect(await resolveEnv(undefined, deps)).toBeUndefined();
    const err = await setEnv('prd', deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiagnosticError);
    expect((err as DiagnosticError).diagnostics[0]).toMatchObject({ message: 'no environment named "prd"', hint: 'did you mean `prod`?' });
    await expect(initEnv({ name: 'Bad_Name', namespace: 'x' }, deps)).rejects.toThrow(/DNS-1123/);
  });

  it('supplies namespace and context to a connection, flags overriding', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vela-kc-'));
    kubeconfigFile(dir, 'a', { cluster: 'one', server: 'https://one:6443', context: 'ctx-a', current: 'ctx-a' });
    const two = kubeconfigFile(dir, 'b', { cluster: 'two', server: 'https://two:6443', context: 'ctx-b' });
    // Everything through the host: the kubeconfig files too (the in-memory file system holds copies).
    const fs = memoryFileSystem({ [join(dir, 'a')]: readFileSync(join(dir, 'a'), 'utf8'), [two]: readFileSync(two, 'utf8') });
    const environment = memoryEnvironment({ VELA_HOME: '/vh', KUBECONFIG: `${join(dir, 'a')}:${two}` });
    await initEnv({ name: 'staging', namespace: 'shop-staging', context: 'ctx-b' }, { fs, env: environment });
    const c = await connect({ fs, environment });
    expect([c.target.context, c.target.server, c.target.namespace]).toEqual(['ctx-b', 'https://two:6443', 'shop-staging']);
    const d = await connect({ fs, environment, context: 'ctx-a', namespace: 'other' });
    expect([d.target.context, d.target.namespace]).toEqual(['ctx-a', 'other']);
  });
});

describe('credentials client-node cannot use', () => {
  it('is an EnvironmentError naming the context, not a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vela-kc-'));
    const path = join(dir, 'kc');
    writeFileSync(
      path,
      `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: /nonexistent/plugin}}}]
contexts: [{name: broken, context: {cluster: c, user: u}}]
current-context: broken
`,
    );
    const c = await connect({ kubeconfig: path, retry: { retries: 0 } });
    const err = await c.serverVersion().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as EnvironmentError).message).toMatch(/^cannot use the credentials or TLS settings of context "broken": /);
  });
});
