/**
 * `vela cluster join|list|labels|rename|detach` run in-process, as oclif runs
 * them, with $VELA_HOME in a temp folder and kubeconfigs whose servers refuse
 * connections (so `list` answers at once: every cluster unreachable). stdout,
 * stderr, --json and exit codes are asserted; a credential of the kubeconfig
 * never appears in any of them.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import ClusterDetach from '../../src/commands/cluster/detach.js';
import ClusterJoin from '../../src/commands/cluster/join.js';
import ClusterLabelsAdd from '../../src/commands/cluster/labels/add.js';
import ClusterLabelsDel from '../../src/commands/cluster/labels/del.js';
import ClusterList from '../../src/commands/cluster/list.js';
import ClusterRename from '../../src/commands/cluster/rename.js';
import { runCommand, type RunResult } from '../cli/harness.js';

const TOKEN = 'tok-3f9a-never-printed';
const scratch = mkdtempSync(join(tmpdir(), 'vela-cluster-registry-'));
const saved = { home: process.env.VELA_HOME, kubeconfig: process.env.KUBECONFIG, ci: process.env.CI };

function kubeconfigFile(name: string, contexts: { name: string; port: number }[]): string {
  const path = join(scratch, name);
  const lines = ['apiVersion: v1', 'kind: Config', `current-context: ${contexts[0]!.name}`, 'clusters:'];
  for (const c of contexts) lines.push(`- name: ${c.name}`, '  cluster:', `    server: https://127.0.0.1:${c.port}`, '    insecure-skip-tls-verify: true');
  lines.push('users:');
  for (const c of contexts) lines.push(`- name: ${c.name}`, '  user:', `    token: ${TOKEN}`);
  lines.push('contexts:');
  for (const c of contexts) lines.push(`- name: ${c.name}`, '  context:', `    cluster: ${c.name}`, `    user: ${c.name}`);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

// Port 1 on loopback: nothing listens, so connections are refused at once.
const fleet = kubeconfigFile('fleet.yaml', [
  { name: 'eu-admin', port: 1 },
  { name: 'us-admin', port: 1 },
]);
const home = kubeconfigFile('home.yaml', [{ name: 'home', port: 1 }]);

const clean = (r: RunResult) => {
  for (const text of [r.stdout, r.stderr, JSON.stringify(r.result ?? null)]) expect(text).not.toContain(TOKEN);
  return r;
};

beforeEach(() => {
  process.env.VELA_HOME = mkdtempSync(join(scratch, 'home-'));
  process.env.KUBECONFIG = home;
  process.env.CI = '1';
});
afterEach(() => {
  for (const [k, v] of [['VELA_HOME', saved.home], ['KUBECONFIG', saved.kubeconfig], ['CI', saved.ci]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('vela cluster', () => {
  it('joins, lists, labels, renames and detaches', async () => {
    const joined = clean(await runCommand(ClusterJoin, [fleet, '--name', 'eu', '--context', 'eu-admin', '--labels', 'env=prod,region=eu', '--timeout', '2s']));
    expect(joined.exitCode).toBe(0);
    expect(joined.stdout).toBe('');
    expect(joined.stderr).toMatch(/^joined cluster eu: https:\/\/127\.0\.0\.1:1 \(context "eu-admin", from .*fleet\.yaml\), labels env=prod,region=eu\nwarning: it does not answer now \(.*\); joined all the same\n$/);
    expect(clean(await runCommand(ClusterJoin, [fleet, '--name', 'us', '--context', 'us-admin', '--copy', '--json'])).exitCode).toBe(0);

    const list = clean(await runCommand(ClusterList, ['--timeout', '2s']));
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toBe(
      [
        'NAME    TYPE         SERVER                LABELS               REACHABLE   VERSION',
        'local   local        https://127.0.0.1:1   -                    no          -',
        'eu      kubeconfig   https://127.0.0.1:1   env=prod,region=eu   no          -',
        'us      copy         https://127.0.0.1:1   -                    no          -',
        '',
      ].join('\n'),
    );
    expect(list.stderr.split('\n').filter(Boolean).map((l) => l.split(':')[0])).toEqual(['local', 'eu', 'us']);

    expect(clean(await runCommand(ClusterLabelsAdd, ['us', 'tier=2', 'region=us'])).stderr).toBe('cluster us: labels region=us,tier=2\n');
    expect(clean(await runCommand(ClusterLabelsDel, ['eu', 'env'])).stderr).toBe('cluster eu: labels region=eu\n');
    expect(clean(await runCommand(ClusterRename, ['us', 'us-east'])).stderr).toBe('cluster us is now us-east\n');
    const copy = join(process.env.VELA_HOME!, 'clusters', 'us-east.kubeconfig');
    expect(statSync(copy).mode & 0o777).toBe(0o600);

    const json = clean(await runCommand(ClusterList, ['--json', '--timeout', '2s']));
    const rows = JSON.parse(json.stdout) as { name: string; labels: Record<string, string>; reachable: boolean; source: string; kubeconfig?: string }[];
    expect(rows.map((r) => [r.name, r.source, r.labels, r.reachable])).toEqual([
      ['local', 'local', {}, false],
      ['eu', 'kubeconfig', { region: 'eu' }, false],
      ['us-east', 'copy', { region: 'us', tier: '2' }, false],
    ]);
    expect(json.stderr).toBe('');

    expect(clean(await runCommand(ClusterDetach, ['us-east'])).stderr).toBe('detached cluster us-east and removed its copied credentials\n');
    expect(() => statSync(copy)).toThrow();
    expect(readFileSync(join(process.env.VELA_HOME!, 'clusters.yaml'), 'utf8')).not.toContain('us-east');
  });

  it('refuses bad input with exit code 1 and a hint, and a missing kubeconfig with 2', async () => {
    const local = await runCommand(ClusterJoin, [fleet, '--name', 'local']);
    expect([local.exitCode, local.stderr]).toEqual([1, 'error: "local" is the cluster of the current kubeconfig context; choose another name\n  hint: for example `--name staging`\n']);
    const labels = await runCommand(ClusterJoin, [fleet, '--name', 'x', '--labels', 'region']);
    expect(labels.exitCode).toBe(1);
    expect(labels.stderr).toContain('label "region" must be KEY=VALUE');
    const unknown = await runCommand(ClusterLabelsAdd, ['nowhere', 'a=b']);
    expect([unknown.exitCode, unknown.stderr]).toEqual([1, 'error: no cluster named "nowhere"\n  hint: join one with `vela cluster join KUBECONFIG --name NAME`\n']);
    const missing = await runCommand(ClusterJoin, [join(scratch, 'none.yaml'), '--name', 'x']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/kubeconfig .*none\.yaml does not exist/);
    const json = await runCommand(ClusterRename, ['a', 'b', '--json']);
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { message: 'no cluster named "a"' } });
  });
});
