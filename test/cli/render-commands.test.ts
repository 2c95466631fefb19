/**
 * `vela dry-run` and `vela up --output` in-process: what goes to stdout (data),
 * stderr (talk) and --json, and that files are written through the pipeline.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import DryRun from '../../src/commands/dry-run.js';
import Up from '../../src/commands/up.js';
import EnvInit from '../../src/commands/env/init.js';
import Export from '../../src/commands/export.js';
import { ROOT, runCommand } from './harness.js';

const scratch = mkdtempSync(join(tmpdir(), 'vela-render-cmd-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const hello = ['-f', join(ROOT, 'examples/hello/vela.yaml')];
const shop = ['-f', join(ROOT, 'examples/shop/vela.yaml')];

describe('vela dry-run', () => {
  it('prints the manifests on stdout and the notes about unbuilt images on stderr', async () => {
    const r = await runCommand(DryRun, shop);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^# service api, component webservice\napiVersion: apps\/v1\nkind: Deployment\n/);
    expect(r.stderr).toMatch(/^note: service frontend uses image localhost:5000\/shop\/frontend:vela-[0-9a-f]{12} \(the tag its build would get; not built by dry-run\)\n$/);
  });

  it("prints a template's warnings at the Appfile line of the trait section that made them", async () => {
    const r = await runCommand(DryRun, ['-f', join(ROOT, 'examples/talk/vela.yaml')]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/warning: .*examples\/talk\/vela\.yaml:\d+:5: services\.express-server\.scale: trait scale: replica \(2\) is ignored/);
    expect(r.stdout).toContain('kind: ScaledObject');
  });

  it('with --json prints one document: each object with the Appfile position it came from, and no talk', async () => {
    const r = await runCommand(DryRun, [...hello, '--json']);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { app: string; namespace: string; manifests: { object: { kind: string }; origin: Record<string, unknown> }[] };
    expect(doc.app).toBe('hello');
    expect(doc.namespace).toBe('default');
    expect(doc.manifests.map((m) => m.object.kind)).toEqual(['Deployment', 'Service']);
    expect(doc.manifests[0]!.origin).toMatchObject({ service: 'hello', definition: 'webservice', position: expect.stringMatching(/examples\/hello\/vela\.yaml:5:3$/) });
    expect(doc.manifests[0]!.origin).not.toHaveProperty('span');
  });

  it('with --output writes one file per object and says where on stderr', async () => {
    const dir = join(scratch, 'out');
    const r = await runCommand(DryRun, [...hello, '--output', dir, '-o', 'json']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`wrote 2 manifests of app hello to ${dir}\n`);
    expect(readdirSync(dir).sort()).toEqual(['.vela-output.json', '01-hello-deployment-hello.json', '02-hello-service-hello.json']);
  });

  it('with --emit application prints the KubeVela Application, or writes it in the asked format', async () => {
    const printed = await runCommand(DryRun, [...hello, '--emit', 'application']);
    expect(printed.stdout).toMatch(/^apiVersion: core\.oam\.dev\/v1beta1\nkind: Application\n/);
    const dir = join(scratch, 'app');
    const written = await runCommand(DryRun, [...hello, '--emit', 'application', '-o', 'json', '--output', dir, '--json']);
    const doc = JSON.parse(written.stdout) as { application: { kind: string }; file: string };
    expect(doc.file).toBe(join(dir, 'application.json'));
    expect(JSON.parse(readFileSync(doc.file, 'utf8'))).toEqual(doc.application);
    expect(doc.application.kind).toBe('Application');
  });

  it('rejects a malformed --cluster-version as a usage error', async () => {
    const r = await runCommand(DryRun, [...hello, '--cluster-version', 'latest']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('error: --cluster-version: expected MAJOR.MINOR like 1.20, got "latest"\n');
    for (const argv of [[...hello, '--cluster-version', 'banana'], [...hello, '--cluster-version', '1.20banana'], ['--output', join(scratch, 'banana'), ...hello, '--cluster-version', 'banana']]) {
      const banana = await runCommand(argv[0] === '--output' ? Up : DryRun, argv);
      expect(banana.exitCode).toBe(1);
      expect(banana.stderr).toMatch(/^error: --cluster-version: expected MAJOR\.MINOR like 1\.20, got "1?\.?2?0?banana"\n$/);
    }
  });

  it('refuses a Kubernetes version that does not exist, and takes what clusters report', async () => {
    const r = await runCommand(DryRun, [...hello, '--cluster-version', '1.99.3']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('error: --cluster-version: Kubernetes 1.99 does not exist (the newest this vela knows is 1.37)');
    expect((await runCommand(DryRun, [...hello, '--cluster-version', '2.1'])).exitCode).toBe(1);
    expect((await runCommand(DryRun, [...hello, '--cluster-version', 'v1.20.15-gke.100'])).exitCode).toBe(0);
  });
});

describe('vela up --output', () => {
  it('renders (nothing to build here) and writes the manifests into the folder', async () => {
    const dir = join(scratch, 'up');
    const r = await runCommand(Up, [...hello, '--output', dir, '--json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ app: 'hello', namespace: 'default', dir, files: ['01-hello-deployment-hello.yaml', '02-hello-service-hello.yaml'], removed: [] });
    expect(existsSync(join(dir, '01-hello-deployment-hello.yaml'))).toBe(true);
  });
});

describe('overrides from the command line and the environment', () => {
  it('--set changes the rendered image; a bad --set is exit 1 pointing at the flag', async () => {
    const r = await runCommand(DryRun, [...hello, '--set', 'services.hello.image=repo/hello:abc123', '--json']);
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout) as { manifests: { object: { spec?: { template?: { spec?: { containers?: { image: string }[] } } } } }[] };
    expect(doc.manifests[0]!.object.spec!.template!.spec!.containers![0]!.image).toBe('repo/hello:abc123');
    const bad = await runCommand(DryRun, [...hello, '--set', 'services.hello.image']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('--set:1:1: expected PATH=VALUE');
  });

  it('VELA_NAMESPACE stands for -n; the flag wins', async () => {
    process.env.VELA_NAMESPACE = 'from-env';
    try {
      const r = await runCommand(DryRun, [...hello, '--json']);
      expect((JSON.parse(r.stdout) as { namespace: string }).namespace).toBe('from-env');
      const flagged = await runCommand(DryRun, [...hello, '--json', '-n', 'from-flag']);
      expect((JSON.parse(flagged.stdout) as { namespace: string }).namespace).toBe('from-flag');
    } finally {
      delete process.env.VELA_NAMESPACE;
    }
  });
});

describe('vela up --output with an environment', () => {
  it("renders into the environment's namespace, as the deploy would; an unknown environment is exit 1", async () => {
    vi.stubEnv('VELA_HOME', join(scratch, 'vela-home'));
    try {
      expect((await runCommand(EnvInit, ['dev', '-n', 'shop-dev'])).exitCode).toBe(0);
      const r = await runCommand(Up, [...hello, '--output', join(scratch, 'env-dev'), '--env', 'dev', '--json']);
      expect(r.exitCode).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ namespace: 'shop-dev' });
      // -n wins over the environment, as for the cluster.
      const flagged = await runCommand(Up, [...hello, '--output', join(scratch, 'env-n'), '--env', 'dev', '-n', 'other', '--json']);
      expect(JSON.parse(flagged.stdout)).toMatchObject({ namespace: 'other' });
      const unknown = await runCommand(Up, [...hello, '--output', join(scratch, 'env-none'), '--env', 'nope']);
      expect(unknown.exitCode).toBe(1);
      expect(unknown.stderr).toContain('error: no environment named "nope"');
      expect(existsSync(join(scratch, 'env-none'))).toBe(false);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('vela export --gitops', () => {
  it("writes DIR/<env>/ in the environment's namespace; dry-run --layout gitops is the same; a re-run changes nothing", async () => {
    vi.stubEnv('VELA_HOME', join(scratch, 'vela-home-gitops'));
    try {
      expect((await runCommand(EnvInit, ['prod', '-n', 'shop-prod'])).exitCode).toBe(0);
      const dir = join(scratch, 'gitops');
      const r = await runCommand(Export, [...hello, '--gitops', dir, '--env', 'prod']);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toBe(`exported 2 manifests of app hello to ${join(dir, 'prod')} (3 files changed)\n`);
      expect(readdirSync(join(dir, 'prod')).sort()).toEqual(['.vela-output.json', 'deployment-hello.yaml', 'kustomization.yaml', 'service-hello.yaml']);
      expect(readFileSync(join(dir, 'prod', 'deployment-hello.yaml'), 'utf8')).toContain('namespace: shop-prod');
      const again = await runCommand(DryRun, [...hello, '--output', dir, '--layout', 'gitops', '--env', 'prod', '--json']);
      expect(JSON.parse(again.stdout)).toMatchObject({ folder: 'prod', namespace: 'shop-prod', changed: [], removed: [] });
      // Without --env the folder is the namespace.
      const plain = await runCommand(Export, [...hello, '--gitops', dir, '--json']);
      expect(JSON.parse(plain.stdout)).toMatchObject({ folder: 'default', files: ['deployment-hello.yaml', 'service-hello.yaml'] });
      const unknown = await runCommand(Export, [...hello, '--gitops', dir, '--env', 'nope']);
      expect(unknown.exitCode).toBe(1);
      const noOutput = await runCommand(DryRun, [...hello, '--layout', 'gitops']);
      expect(noOutput.exitCode).toBe(1);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('format detection', () => {
  it('-v says how the format of a file with another name was guessed; an ambiguous guess warns', async () => {
    const dir = join(scratch, 'formats');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'x.yaml'), 'services:\n  web:\n    image: nginx:1.27\n    environment: {A: "1"}\n    ports: ["8080:80"]\n');
    const quiet = await runCommand(DryRun, ['-f', join(dir, 'x.yaml')]);
    expect(quiet.exitCode).toBe(0);
    expect(quiet.stderr).toBe('');
    const verbose = await runCommand(DryRun, ['-f', join(dir, 'x.yaml'), '-v']);
    expect(verbose.stderr).toMatch(/^note: read \S*x\.yaml as a compose file \(guessed from its content: its services use compose keys \(environment, ports: \["HOST:CONTAINER"\]\)\)\n/);
    // vela.yaml is an Appfile by its name: nothing to say.
    expect((await runCommand(DryRun, [...hello, '-v'])).stderr).toBe('');
    writeFileSync(join(dir, 'both.yaml'), 'name: both\nservices:\n  web:\n    type: webservice\n    image: nginx:1.27\n    restart: always\n');
    const both = await runCommand(DryRun, ['-f', join(dir, 'both.yaml')]);
    // Read as an Appfile, `restart` is an error; the guess is said with it.
    expect(both.exitCode).toBe(1);
    expect(both.stderr).toContain('services.web.restart: unknown key');
    expect(both.stderr).toMatch(/warning: \S*both\.yaml:1:1: read \S*both\.yaml as an Appfile, a guess: its services use Appfile keys \(type\) and also compose keys \(restart\)/);
    expect(both.stderr).toContain('name the file vela.yaml (an Appfile) or compose.yaml (a compose file) to settle it');
  });
});
