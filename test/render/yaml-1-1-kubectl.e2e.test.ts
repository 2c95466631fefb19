/**
 * The real kubectl (a YAML 1.1 reader) against the real kube-apiserver 1.20
 * reads vela's YAML as vela meant it: `vela dry-run` of the voting example
 * (whose redis runs with `--appendonly yes`) passes a server-side dry run, and
 * a ConfigMap whose data and labels are every YAML 1.1 trap comes back from
 * the server with the same strings.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import DryRun from '../../src/commands/dry-run.js';
import { toYaml } from '../../src/render/serialize.js';
import { ROOT, runCommand } from '../cli/harness.js';
import { kubeconfig, realClusterUnavailable } from '../support/real-cluster.js';
import { YAML_11_TRAPS } from './yaml-1-1-traps.js';

const kubectl = [process.env.VELA_TEST_KUBECTL, '/var/cache/vela-test/kubectl'].find((p) => p && existsSync(p));
const unavailable = (await realClusterUnavailable('yaml-1-1-kubectl')) || (kubectl ? '' : 'no kubectl at /var/cache/vela-test/kubectl');
const ns = `yaml11-${process.pid}`;
const run = promisify(execFile);

/** kubectl with `input` on stdin; resolves with stdout, rejects with stderr. */
function kubectlWith(input: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectl!, ['--kubeconfig', kubeconfig, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`kubectl ${args.join(' ')} exited ${code}: ${err}`))));
    child.stdin.end(input);
  });
}

describe.skipIf(!!unavailable)('kubectl reads vela YAML as vela meant it', () => {
  beforeAll(async () => {
    await run(kubectl!, ['--kubeconfig', kubeconfig, 'create', 'namespace', ns]);
  });
  afterAll(async () => {
    await run(kubectl!, ['--kubeconfig', kubeconfig, 'delete', 'namespace', ns, '--wait=false']).catch(() => undefined);
  });

  it('accepts `vela dry-run -f examples/voting/vela.yaml` in a server-side dry run', async () => {
    const r = await runCommand(DryRun, ['-f', join(ROOT, 'examples/voting/vela.yaml'), '-n', ns, '--cluster-version', '1.20']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('- "yes"');
    const out = await kubectlWith(r.stdout, ['apply', '--dry-run=server', '-f', '-']);
    expect(out).toContain('statefulset.apps/redis created (server dry run)');
  });

  it('gets back every YAML 1.1 trap as the same string, as data and as label values', async () => {
    const data = Object.fromEntries(YAML_11_TRAPS.map((s, i) => [`k${i}`, s]));
    const labelSafe = YAML_11_TRAPS.filter((s) => /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(s));
    const labels = Object.fromEntries(labelSafe.map((s, i) => [`l${i}`, s]));
    // Keys that are traps too, where a ConfigMap key may be one.
    const keyed = Object.fromEntries(YAML_11_TRAPS.filter((s) => /^[-._a-zA-Z0-9]+$/.test(s)).map((s) => [s, s]));
    const text = toYaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'traps', namespace: ns, labels }, data: { ...data, ...keyed } });
    const back = JSON.parse(await kubectlWith(text, ['apply', '--dry-run=server', '-o', 'json', '-f', '-'])) as { data: Record<string, string>; metadata: { labels: Record<string, string> } };
    expect(back.data).toEqual({ ...data, ...keyed });
    expect(back.metadata.labels).toEqual(labels);
  });
});
