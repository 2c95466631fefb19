/**
 * The addon commands in-process without a cluster: --dry-run and
 * --definitions-only over the test catalogs (test/fixtures/catalog*), a
 * folder registry, and bad input. Registries served for real (git, HTTP):
 * addon-registries.test.ts; against the real kube-apiserver: addon.e2e.test.ts.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import AddonDisable from '../../src/commands/addon/disable.js';
import AddonEnable from '../../src/commands/addon/enable.js';
import AddonList from '../../src/commands/addon/list.js';
import AddonRegistryAdd from '../../src/commands/addon/registry/add.js';
import AddonRegistryList from '../../src/commands/addon/registry/list.js';
import AddonRegistryRemove from '../../src/commands/addon/registry/remove.js';
import AddonStatus from '../../src/commands/addon/status.js';
import Components from '../../src/commands/components.js';
import DryRun from '../../src/commands/dry-run.js';
import Traits from '../../src/commands/traits.js';
import { ROOT, runCommand } from '../cli/harness.js';

const CATALOG = join(ROOT, 'test/fixtures/catalog');
const CATALOG_V2 = join(ROOT, 'test/fixtures/catalog-v2');
const CATALOG_BAD = join(ROOT, 'test/fixtures/catalog-bad');

describe('vela addon (no cluster)', () => {
  let dir: string;
  let home: string;
  const savedCwd = process.cwd();
  const savedHome = process.env.VELA_HOME;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vela-addon-'));
    home = join(dir, 'home');
    process.chdir(dir);
    process.env.VELA_HOME = home;
  });
  afterEach(() => {
    process.chdir(savedCwd);
    if (savedHome === undefined) delete process.env.VELA_HOME;
    else process.env.VELA_HOME = savedHome;
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders an addon with --dry-run: the template with defaults and --set, its resources and outputs; nothing installed', async () => {
    const r = await runCommand(AddonEnable, ['hello', '--registry', CATALOG, '--dry-run', '--set', 'greeting=hi there', 'times=3']);
    expect(r.stderr).toContain('nothing applied or installed');
    expect(r.exitCode).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJSON());
    const byName = new Map(docs.filter((d) => d?.metadata?.name).map((d) => [`${d.kind}/${d.metadata.name}`, d]));
    expect(byName.get('ConfigMap/hello-greeting')?.data).toEqual({ greeting: 'hi there', times: '3', addon: 'hello 1.0.0' });
    // CUE resource (its parameter), YAML resources, the template's `outputs`.
    expect(byName.get('ConfigMap/hello-echo')?.data).toEqual({ echo: 'hi there' });
    expect(byName.get('ConfigMap/hello-settings')?.data).toEqual({ level: '1' });
    expect(byName.get('Secret/hello-extra')).toBeDefined();
    expect(byName.get('ConfigMap/hello-marker')?.data).toEqual({ version: '1.0.0' });
    expect(existsSync(join(home, 'addons'))).toBe(false);
  });

  it('is deterministic: the same dry run gives the same bytes', async () => {
    const a = await runCommand(AddonEnable, ['hello', '--registry', CATALOG, '--dry-run']);
    const b = await runCommand(AddonEnable, ['hello', '--registry', CATALOG, '--dry-run']);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.length).toBeGreaterThan(100);
  });

  it('--definitions-only installs the definitions for every command; components and traits name the addon; disable removes them', async () => {
    const before = await runCommand(Components, ['--json']);
    expect((before.result as { name: string }[]).some((c) => c.name === 'hello')).toBe(false);
    const r = await runCommand(AddonEnable, ['hello', '--registry', CATALOG, '--definitions-only']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('addon hello 1.0.0 enabled: definitions only');
    expect(readdirSync(join(home, 'addons/hello/definitions')).sort()).toEqual(['hello-label.yaml', 'hello.cue']);
    const comps = (await runCommand(Components, ['--json'])).result as { name: string; origin: string; addon?: string }[];
    expect(comps.find((c) => c.name === 'hello')).toMatchObject({ origin: 'addon', addon: 'hello' });
    const traits = (await runCommand(Traits, ['--json'])).result as { name: string; addon?: string }[];
    expect(traits.find((t) => t.name === 'hello-label')).toMatchObject({ addon: 'hello' });
    // Usable at once in an Appfile.
    writeFileSync(join(dir, 'vela.yaml'), 'name: greet\nservices:\n  hi:\n    type: hello\n    greeting: howdy\n');
    const dry = await runCommand(DryRun, []);
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('message: howdy, greet');

    const list = await runCommand(AddonList, ['--registry', CATALOG]);
    expect(list.stdout).toMatch(/hello\s+.*definitions only \(1\.0\.0\)/);
    expect(list.stdout).toMatch(/keda\s+.*disabled/);
    const status = await runCommand(AddonStatus, ['hello']);
    expect(status.stdout).toContain('addon hello: definitions only, version 1.0.0');

    const off = await runCommand(AddonDisable, ['hello']);
    expect(off.exitCode, off.stderr).toBe(0);
    expect(existsSync(join(home, 'addons/hello'))).toBe(false);
    const after = (await runCommand(Components, ['--json'])).result as { name: string }[];
    expect(after.some((c) => c.name === 'hello')).toBe(false);
  });

  it('enables dependencies first, and refuses to disable one another addon needs', async () => {
    const r = await runCommand(AddonEnable, ['keda', '--registry', CATALOG, '--definitions-only', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const order = (JSON.parse(r.stdout) as { addons: { name: string; dependency: boolean }[] }).addons.map((a) => [a.name, a.dependency]);
    expect(order).toEqual([
      ['fluxcd', true],
      ['keda', false],
    ]);
    const refused = await runCommand(AddonDisable, ['fluxcd']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('keda');
    expect(existsSync(join(home, 'addons/fluxcd/definitions/helm.cue'))).toBe(true);
  });

  it('--local installs into the project', async () => {
    const r = await runCommand(AddonEnable, ['hello', '--registry', CATALOG, '--definitions-only', '--local']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(existsSync(join(dir, '.vela/addons/hello/definitions/hello.cue'))).toBe(true);
    expect(existsSync(join(home, 'addons/hello'))).toBe(false);
  });

  it('renders helm components of an Application to Flux objects once fluxcd is enabled', async () => {
    expect((await runCommand(AddonEnable, ['fluxcd', '--registry', CATALOG, '--definitions-only'])).exitCode).toBe(0);
    const r = await runCommand(AddonEnable, ['keda', '--registry', CATALOG, '--dry-run', '--set', 'replicas=2']);
    expect(r.exitCode, r.stderr).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJSON());
    const release = docs.find((d) => d?.kind === 'HelmRelease');
    expect(release?.apiVersion).toMatch(/^helm\.toolkit\.fluxcd\.io\//);
    expect(release?.spec?.values).toEqual({ operator: { replicaCount: 2 } });
    expect(docs.some((d) => d?.kind === 'HelmRepository')).toBe(true);
  });

  describe('bad input: a clear error, exit 1, nothing installed', () => {
    const cases: [string, string[], RegExp][] = [
      ['a dependency cycle', ['cycle-a'], /cycle.*cycle-a.*cycle-b|cycle-b.*cycle-a/s],
      ['a missing dependency', ['needs-missing'], /no-such-addon/],
      ['a broken template', ['broken-template'], /template\.cue:\d+:\d+/],
      ['a definition that does not parse', ['broken-definition'], /bad\.cue:\d+:\d+/],
      // The Application the template produced, with the line and a code frame.
      ['an unknown component type', ['unknown-type'], /addon unknown-type \(Application evaluated from .*unknown-type\/template\.yaml\):\d+:\d+: .*unknown component type "no-such-component"/],
    ];
    for (const [what, args, message] of cases) {
      it(what, async () => {
        await runCommand(AddonRegistryAdd, ['bad', CATALOG_BAD]);
        await runCommand(AddonRegistryAdd, ['good', CATALOG]);
        const r = await runCommand(AddonEnable, [...args, '--definitions-only']);
        expect(r.exitCode).toBe(1);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).not.toMatch(/\n\s+at .*\.[jt]s:\d+/);
        const installed = existsSync(join(home, 'addons')) ? readdirSync(join(home, 'addons')).filter((n) => !n.startsWith('.')) : [];
        expect(installed).toEqual([]);
      });
    }

    it('an unknown parameter, and a value its validation refuses', async () => {
      const unknown = await runCommand(AddonEnable, ['hello', '--registry', CATALOG, '--definitions-only', '--set', 'greting=hi']);
      expect(unknown.exitCode).toBe(1);
      expect(unknown.stderr).toMatch(/greting/);
      expect(unknown.stderr).toMatch(/greeting/);
      const invalid = await runCommand(AddonEnable, ['hello', '--registry', CATALOG, '--definitions-only', '--set', 'greeting=HELLO']);
      expect(invalid.exitCode).toBe(1);
      // A --set value has no file: the error names the parameter and the rule it breaks.
      expect(invalid.stderr).toContain('parameter.greeting: addon hello: must match the pattern "^[a-z ]+$" (got "HELLO")');
      expect(existsSync(join(home, 'addons/hello'))).toBe(false);
    });

    it('a registry folder that does not exist', async () => {
      const r = await runCommand(AddonEnable, ['hello', '--registry', join(dir, 'nowhere'), '--definitions-only']);
      expect(r.exitCode).toBeGreaterThanOrEqual(1);
      expect(r.exitCode).toBeLessThanOrEqual(2);
      expect(r.stderr).toContain('nowhere');
    });
  });

  it('registry add, list, remove; list reads the configured registries', async () => {
    expect((await runCommand(AddonRegistryAdd, ['mine', CATALOG])).exitCode).toBe(0);
    const list = await runCommand(AddonRegistryList, []);
    expect(list.stdout).toMatch(new RegExp(`mine\\s+${CATALOG}`));
    const addons = await runCommand(AddonList, []);
    expect(addons.stdout).toMatch(/fluxcd\s+mine/);
    // `local` names addons enabled from a folder: not a registry name.
    expect((await runCommand(AddonRegistryAdd, ['local', CATALOG])).exitCode).toBe(1);
    expect((await runCommand(AddonRegistryRemove, ['mine'])).exitCode).toBe(0);
    expect((await runCommand(AddonRegistryList, [])).stdout).toContain('no addon registries');
    const bad = await runCommand(AddonRegistryAdd, ['Bad Name', CATALOG]);
    expect(bad.exitCode).toBe(1);
  });

  it('upgrade to a new version (definitions only) replaces the definitions: the trait v2 dropped is gone', async () => {
    expect((await runCommand(AddonEnable, ['hello', '--registry', CATALOG, '--definitions-only'])).exitCode).toBe(0);
    const { default: AddonUpgrade } = await import('../../src/commands/addon/upgrade.js');
    const r = await runCommand(AddonUpgrade, ['hello', '--registry', CATALOG_V2, '--definitions-only']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('(was 1.0.0)');
    expect(readdirSync(join(home, 'addons/hello/definitions'))).toEqual(['hello.cue']);
  });
});
