import { describe, expect, it } from 'vitest';
import { createReporter, reporterMode } from '../../src/cli/index.js';
import { SourceFile, span, warning } from '../../src/source/index.js';

function sink(isTTY = false) {
  const chunks: string[] = [];
  return { chunks, isTTY, write: (s: string) => chunks.push(s), text: () => chunks.join('') };
}

describe('reporterMode', () => {
  it('uses spinners only on a TTY outside CI and without --json', () => {
    expect(reporterMode({ json: false, ci: false, tty: true })).toBe('spinner');
    expect(reporterMode({ json: false, ci: true, tty: true })).toBe('plain');
    expect(reporterMode({ json: false, ci: false, tty: false })).toBe('plain');
    expect(reporterMode({ json: true, ci: false, tty: true })).toBe('silent');
    expect(reporterMode({ json: true, ci: true, tty: false })).toBe('silent');
  });
});

describe('plain reporter', () => {
  it('prints one prefixed line per event', async () => {
    const out = sink();
    const r = await createReporter({ mode: 'plain', color: false, stream: out });
    const web = r.task('web', 'building localhost:5000/shop/web');
    web.step(2, 5, 'RUN npm ci');
    web.update('pushing');
    web.succeed('sha256:abc');
    const api = r.task('api', 'building');
    api.fail();
    r.info('applied 4 objects');
    expect(out.text()).toBe(
      [
        '[web] building localhost:5000/shop/web',
        '[web] step 2/5 : RUN npm ci',
        '[web] pushing',
        '[web] done: sha256:abc',
        '[api] building',
        '[api] failed',
        'applied 4 objects',
        '',
      ].join('\n'),
    );
  });
});

describe('silent reporter', () => {
  it('prints no progress, but still prints warnings', async () => {
    const out = sink();
    const r = await createReporter({ mode: 'silent', color: false, stream: out });
    const t = r.task('web', 'building');
    t.step(1, 2, 'FROM node');
    t.succeed();
    r.info('hello');
    expect(out.text()).toBe('');
    const f = new SourceFile('vela.yaml', 'name: shop\n');
    r.warn(warning('unknown field', span(f, 0, 4)));
    expect(out.text()).toContain('warning: vela.yaml:1:1: unknown field');
  });
});

describe('spinner reporter', () => {
  it('keeps finished tasks as lines with a mark', async () => {
    // A terminal as ora drives it: cursor movements are no-ops here, only the text matters.
    const out = Object.assign(sink(true), { columns: 80, cursorTo() {}, moveCursor() {}, clearLine() {}, on() {}, removeListener() {} });
    const r = await createReporter({ mode: 'spinner', color: false, stream: out });
    const web = r.task('web', 'building');
    web.step(1, 2, 'FROM node');
    web.succeed('built');
    const api = r.task('api', 'pushing');
    api.fail('denied');
    const text = out.text();
    expect(text).toContain('✔ [web] built');
    expect(text).toContain('✖ [api] denied');
    expect(text).not.toContain('\u001b[32m');
  });
});
