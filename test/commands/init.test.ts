/**
 * `vela init`: the wizard driven through its prompt layer with scripted
 * answers, and the non-interactive path end to end (flags → vela.yaml →
 * `vela dry-run` renders it).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import DryRun from '../../src/commands/dry-run.js';
import Init from '../../src/commands/init.js';
import { dryRun } from '../../src/pipeline/dry-run.js';
import { runInit, sanitizeName, type Ask, type Choice } from '../../src/pipeline/init.js';
import { runCommand } from '../cli/harness.js';

const scratch = mkdtempSync(join(tmpdir(), 'vela-init-'));
const velaHome = join(scratch, 'home'); // empty: only the built-in definitions
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function freshDir(files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(scratch, 'shop-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

type Kind = 'text' | 'number' | 'select' | 'confirm' | 'checkbox';
type Answer = { kind: Kind; match?: RegExp; value: unknown };

/** A prompt layer that plays a script: each question must be of the expected kind (and match, when given). */
function scripted(answers: Answer[]) {
  const asked: { kind: Kind; message: string; choices?: readonly Choice<unknown>[]; default?: unknown }[] = [];
  const notes: string[] = [];
  const next = (kind: Kind, q: { message: string; choices?: readonly Choice<unknown>[]; default?: unknown }) => {
    asked.push({ kind, ...q });
    const a = answers.shift();
    if (!a) throw new Error(`no scripted answer for ${kind} "${q.message}"`);
    if (a.kind !== kind) throw new Error(`expected a ${a.kind} question, got ${kind} "${q.message}"`);
    if (a.match && !a.match.test(q.message)) throw new Error(`expected a question matching ${a.match}, got "${q.message}"`);
    if (q.choices && (kind === 'select' || kind === 'checkbox')) {
      const values = q.choices.map((c) => c.value);
      for (const v of kind === 'select' ? [a.value] : (a.value as unknown[])) {
        if (!values.includes(v)) throw new Error(`${JSON.stringify(v)} is not a choice of "${q.message}" (${values.join(', ')})`);
      }
    }
    return a.value;
  };
  const ask: Ask = {
    text: async (q) => next('text', q) as string,
    number: async (q) => next('number', q) as number | undefined,
    select: async (q) => next('select', q) as never,
    confirm: async (q) => next('confirm', q) as boolean,
    checkbox: async (q) => next('checkbox', q) as never,
    note: (m) => void notes.push(m),
  };
  return { ask, asked, notes, left: () => answers.length };
}

const text = (value: string, match?: RegExp): Answer => ({ kind: 'text', value, match });
const num = (value: number | undefined, match?: RegExp): Answer => ({ kind: 'number', value, match });
const select = (value: unknown, match?: RegExp): Answer => ({ kind: 'select', value, match });
const confirm = (value: boolean, match?: RegExp): Answer => ({ kind: 'confirm', value, match });
const checkbox = (value: unknown[], match?: RegExp): Answer => ({ kind: 'checkbox', value, match });

describe('the wizard (scripted answers)', () => {
  it('asks name, service, type, image, port, parameters and traits, and writes an Appfile that renders', async () => {
    const cwd = freshDir();
    const s = scripted([
      text('shop', /App name/),
      text('web', /Service name/),
      select('webservice', /Component type/),
      text('nginx:1.27', /image/i),
      num(8080, /Port/),
      checkbox(['cpu'], /Optional webservice parameters/),
      text('250m', /^cpu/),
      checkbox(['scaler'], /Traits/),
      checkbox(['replicas'], /Optional scaler properties/),
      num(3, /replicas/),
      confirm(false, /Add another service/),
    ]);
    const r = await runInit({ cwd, velaHome, ask: s.ask });
    expect(s.left()).toBe(0);
    expect(r.written).toBe(true);
    expect(r.services).toEqual(['web']);

    const written = readFileSync(join(cwd, 'vela.yaml'), 'utf8');
    expect(written).toMatch(/^# The Appfile of shop, written by `vela init`\./);
    expect(parse(written)).toEqual({
      name: 'shop',
      services: { web: { type: 'webservice', image: 'nginx:1.27', ports: [{ port: 8080, expose: true }], cpu: '250m', scaler: { replicas: 3 } } },
    });
    // Keys in the order they were asked: type, image, ports, parameters, traits.
    expect(Object.keys(parse(written).services.web)).toEqual(['type', 'image', 'ports', 'cpu', 'scaler']);

    // The defaults shown: the folder name for the app, the app name for the first service, webservice for the type.
    expect(s.asked[0]!.default).toBe(sanitizeName(cwd.split('/').at(-1)!));
    expect(s.asked[1]!.default).toBe('shop');
    expect(s.asked[2]!.default).toBe('webservice');
    // Component types come from the registry, with their descriptions.
    const types = s.asked[2]!.choices!;
    expect(types.map((c) => c.value)).toEqual(expect.arrayContaining(['webservice', 'worker', 'cron-task']));
    expect(types.find((c) => c.value === 'webservice')!.description).toMatch(/Deployment/);
    // Only traits that apply to a webservice are offered; hidden (+ignore) parameters are not.
    const traits = s.asked.find((q) => /Traits/.test(q.message))!.choices!.map((c) => c.value);
    expect(traits).toContain('scaler');
    expect(traits).toContain('gateway');
    const optional = s.asked.find((q) => /Optional webservice/.test(q.message))!.choices!.map((c) => c.value);
    expect(optional).toContain('cpu');
    expect(optional).not.toContain('exposeType');
    expect(optional).not.toContain('image');

    const { rendered } = await dryRun({ cwd, velaHome });
    const kinds = rendered.manifests.map((m) => `${m.object.kind}/${(m.object.metadata as { name: string }).name}`);
    expect(kinds).toEqual(expect.arrayContaining(['Deployment/web', 'Service/web']));
    const deployment = rendered.manifests.find((m) => m.object.kind === 'Deployment')!.object as { spec: { replicas: number } };
    expect(deployment.spec.replicas).toBe(3);
  });

  it('asks again when an answer is not valid, saying why', async () => {
    const cwd = freshDir();
    const s = scripted([
      text('Shop_App', /App name/),
      text('shop', /App name/),
      text('shop', /Service name/),
      select('cron-task', /Component type/),
      text('busybox', /image/i),
      // schedule is required: an empty answer is asked again
      text('', /^schedule/),
      text('*/5 * * * *', /^schedule/),
      checkbox(['count', 'concurrencyPolicy'], /Optional cron-task parameters/),
      num(1.5, /^count/),
      num(2, /^count/),
      select('Forbid', /^concurrencyPolicy/),
      checkbox([], /Traits/),
      confirm(false, /Add another service/),
    ]);
    const r = await runInit({ cwd, velaHome, ask: s.ask });
    expect(s.left()).toBe(0);
    expect(r.written).toBe(true);
    expect(s.notes).toEqual([
      expect.stringMatching(/App name: must consist of lowercase letters, digits and "-"/),
      expect.stringMatching(/schedule.*: a value is required/),
      expect.stringMatching(/count.*: must be a whole number/),
    ]);
    expect(parse(readFileSync(join(cwd, 'vela.yaml'), 'utf8')).services.shop).toEqual({
      type: 'cron-task',
      image: 'busybox',
      schedule: '*/5 * * * *',
      count: 2,
      concurrencyPolicy: 'Forbid',
    });
    // The enum is offered as a select of its values, the default first in mind.
    const policy = s.asked.find((q) => /^concurrencyPolicy/.test(q.message))!;
    expect(policy.choices!.map((c) => c.value)).toEqual(['Allow', 'Forbid', 'Replace']);
    expect(policy.default).toBe('Allow');
    await expect(dryRun({ cwd, velaHome })).resolves.toBeDefined();
  });

  it('checks typed values against the schema (a number out of range is asked again)', async () => {
    const cwd = freshDir();
    const s = scripted([
      text('shop'),
      text('web'),
      select('webservice'),
      text('nginx'),
      num(70000, /Port/),
      num(80, /Port/),
      checkbox([]),
      checkbox([]),
      confirm(false),
    ]);
    await runInit({ cwd, velaHome, ask: s.ask });
    expect(s.notes).toEqual([expect.stringMatching(/Port.*: must be a whole number from 1 to 65535/)]);
    expect(parse(readFileSync(join(cwd, 'vela.yaml'), 'utf8')).services.web.ports).toEqual([{ port: 80, expose: true }]);
  });

  it('never overwrites an existing vela.yaml without a yes', async () => {
    const cwd = freshDir({ 'vela.yaml': 'name: mine\n' });
    const no = scripted([confirm(false, /vela\.yaml already exists\. Overwrite it\?/)]);
    const r = await runInit({ cwd, velaHome, ask: no.ask });
    expect(r.written).toBe(false);
    expect(no.left()).toBe(0);
    expect(readFileSync(join(cwd, 'vela.yaml'), 'utf8')).toBe('name: mine\n');

    const yes = scripted([confirm(true, /Overwrite/), text('shop'), text('web'), select('worker'), text('busybox'), checkbox([]), checkbox([]), confirm(false)]);
    const r2 = await runInit({ cwd, velaHome, ask: yes.ask });
    expect(r2.written).toBe(true);
    expect(yes.left()).toBe(0);
    expect(parse(readFileSync(join(cwd, 'vela.yaml'), 'utf8')).name).toBe('shop');
  });

  it('offers the Dockerfile as a build section', async () => {
    const cwd = freshDir({ Dockerfile: 'FROM nginx\n' });
    const s = scripted([
      text('shop'),
      text('web'),
      select('webservice'),
      select(true, /Where does the image come from/),
      text('localhost:5000/shop/web', /push the build to/),
      num(undefined, /Port/),
      checkbox([]),
      checkbox([]),
      confirm(false),
    ]);
    await runInit({ cwd, velaHome, ask: s.ask });
    expect(parse(readFileSync(join(cwd, 'vela.yaml'), 'utf8')).services.web).toEqual({
      type: 'webservice',
      image: 'localhost:5000/shop/web',
      build: { docker: { file: 'Dockerfile', context: '.' } },
    });
  });

  it('converts a compose file when the user says yes, as vela convert does', async () => {
    const cwd = freshDir({ 'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n' });
    const s = scripted([confirm(true, /Found compose\.yaml\. Convert it to vela\.yaml \(as `vela convert` does\)\?/)]);
    const r = await runInit({ cwd, velaHome, ask: s.ask });
    expect(r).toMatchObject({ written: true, path: 'vela.yaml', convertedFrom: 'compose.yaml', services: ['web'] });
    const written = parse(readFileSync(join(cwd, 'vela.yaml'), 'utf8'));
    expect(written.services.web).toMatchObject({ image: 'nginx:1.27' });
    expect(readFileSync(join(cwd, 'vela.yaml'), 'utf8')).toBe(r.text);
  });

  it('converting over an existing vela.yaml needs the overwrite answered yes first', async () => {
    const cwd = freshDir({ 'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n', 'vela.yaml': 'name: old\n' });
    const declined = await runInit({ cwd, velaHome, ask: scripted([confirm(false, /already exists\. Overwrite it\?/)]).ask });
    expect(declined.written).toBe(false);
    expect(readFileSync(join(cwd, 'vela.yaml'), 'utf8')).toBe('name: old\n');
    const r = await runInit({ cwd, velaHome, ask: scripted([confirm(true, /Overwrite/), confirm(true, /Convert it/)]).ask });
    expect(r.convertedFrom).toBe('compose.yaml');
    expect(parse(readFileSync(join(cwd, 'vela.yaml'), 'utf8')).services.web.image).toBe('nginx:1.27');
  });

  it('puts a trait named like a parameter (env) under `traits:`', async () => {
    const cwd = freshDir();
    const s = scripted([
      text('shop'),
      text('web'),
      select('worker'),
      text('busybox'),
      checkbox([]),
      checkbox(['env'], /Traits/),
      checkbox(['env'], /Optional env properties/),
      text('{LOG_LEVEL: debug}', /^env\.env/),
      confirm(false),
    ]);
    await runInit({ cwd, velaHome, ask: s.ask });
    expect(parse(readFileSync(join(cwd, 'vela.yaml'), 'utf8')).services.web.traits).toEqual({ env: { env: { LOG_LEVEL: 'debug' } } });
    await expect(dryRun({ cwd, velaHome })).resolves.toBeDefined();
  });
});

describe('vela init without a terminal', () => {
  const savedCwd = process.cwd();
  const savedHome = process.env.VELA_HOME;
  const savedCI = process.env.CI;
  beforeEach(() => {
    process.env.VELA_HOME = velaHome;
  });
  afterEach(() => {
    process.chdir(savedCwd);
    if (savedHome === undefined) delete process.env.VELA_HOME;
    else process.env.VELA_HOME = savedHome;
    if (savedCI === undefined) delete process.env.CI;
    else process.env.CI = savedCI;
  });

  it('writes vela.yaml from flags, and `vela dry-run` renders it', async () => {
    const cwd = freshDir();
    process.chdir(cwd);
    const r = await runCommand(Init, ['--yes', '--name', 'shop', '--image', 'nginx', '--port', '80']);
    expect(r.stderr).toMatch(/wrote vela\.yaml \(app shop: shop\)/);
    expect(r.exitCode).toBe(0);
    expect(parse(readFileSync(join(cwd, 'vela.yaml'), 'utf8'))).toEqual({
      name: 'shop',
      services: { shop: { type: 'webservice', image: 'nginx', ports: [{ port: 80, expose: true }] } },
    });

    const d = await runCommand(DryRun, []);
    expect(d.stderr).toBe('');
    expect(d.exitCode).toBe(0);
    const objects = parseAllDocuments(d.stdout).map((doc) => doc.toJS() as { kind: string; metadata: { name: string }; spec: Record<string, unknown> });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Deployment/shop', 'Service/shop']);
    expect(objects[1]!.spec.ports).toEqual([expect.objectContaining({ port: 80 })]);
  });

  it('fails with exit 1 naming --image when no image is given', async () => {
    const cwd = freshDir();
    process.chdir(cwd);
    const r = await runCommand(Init, ['--name', 'shop']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/--image: an image is required/);
    expect(existsSync(join(cwd, 'vela.yaml'))).toBe(false);
  });

  it('refuses to overwrite without --force, and overwrites with it', async () => {
    const cwd = freshDir({ 'vela.yaml': 'name: mine\n' });
    process.chdir(cwd);
    const r = await runCommand(Init, ['--yes', '--image', 'nginx']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/vela\.yaml already exists/);
    expect(r.stderr).toMatch(/--force/);
    expect(readFileSync(join(cwd, 'vela.yaml'), 'utf8')).toBe('name: mine\n');

    const f = await runCommand(Init, ['--yes', '--force', '--name', 'shop', '--image', 'nginx']);
    expect(f.exitCode).toBe(0);
    expect(parse(readFileSync(join(cwd, 'vela.yaml'), 'utf8')).name).toBe('shop');
  });

  it('takes other parameters from --set, typed by the schema, and names the flag for a missing one', async () => {
    const cwd = freshDir();
    process.chdir(cwd);
    const missing = await runCommand(Init, ['--yes', '--name', 'jobs', '--type', 'cron-task', '--image', 'busybox']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/--set schedule=VALUE: the cron-task parameter "schedule" is required/);

    const bad = await runCommand(Init, ['--yes', '--name', 'jobs', '--type', 'cron-task', '--image', 'busybox', '--set', 'schedule=@daily', '--set', 'count=many']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/--set count: must be integer/);

    const ok = await runCommand(Init, ['--yes', '--name', 'jobs', '--type', 'cron-task', '--image', 'busybox', '--set', 'schedule=*/5 * * * *', '--set', 'count=2']);
    expect(ok.stderr).toMatch(/wrote vela\.yaml/);
    expect(parse(readFileSync(join(cwd, 'vela.yaml'), 'utf8')).services.jobs).toEqual({
      type: 'cron-task',
      image: 'busybox',
      schedule: '*/5 * * * *',
      count: 2,
    });
    expect((await runCommand(DryRun, [])).exitCode).toBe(0);
  });

  it('rejects a bad name or an unknown type with the flag in the message', async () => {
    const cwd = freshDir();
    process.chdir(cwd);
    const name = await runCommand(Init, ['--yes', '--name', 'Shop', '--image', 'nginx']);
    expect(name.exitCode).toBe(1);
    expect(name.stderr).toMatch(/--name: the app name "Shop" must consist of lowercase letters/);
    const type = await runCommand(Init, ['--yes', '--name', 'shop', '--type', 'webservce', '--image', 'nginx']);
    expect(type.exitCode).toBe(1);
    expect(type.stderr).toMatch(/--type: unknown component type "webservce"/);
    expect(existsSync(join(cwd, 'vela.yaml'))).toBe(false);
  });

  it('--build makes a build section of ./Dockerfile; without --image the hint says how', async () => {
    const cwd = freshDir({ Dockerfile: 'FROM nginx\n' });
    process.chdir(cwd);
    const missing = await runCommand(Init, ['--yes', '--name', 'shop']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/--image: an image is required\n\s+hint: or build \.\/Dockerfile: --build --image REPOSITORY/);

    const r = await runCommand(Init, ['--yes', '--name', 'shop', '--build', '--image', 'localhost:5000/shop/web']);
    expect(r.exitCode).toBe(0);
    expect(parse(readFileSync(join(cwd, 'vela.yaml'), 'utf8')).services.shop).toEqual({
      type: 'webservice',
      image: 'localhost:5000/shop/web',
      build: { docker: { file: 'Dockerfile', context: '.' } },
    });
    const d = await runCommand(DryRun, []);
    expect(d.exitCode).toBe(0);
    // Nothing is built: the image is the tag its build would produce.
    expect(d.stdout).toMatch(/image: localhost:5000\/shop\/web:\S+/);
  });

  it('derives the app name from the folder', () => {
    expect(sanitizeName('My Shop_v2')).toBe('my-shop-v2');
    expect(sanitizeName('--x--')).toBe('x');
    expect(sanitizeName('___')).toBe('app');
  });
});
