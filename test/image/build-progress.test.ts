import { describe, expect, it } from 'vitest';
import { buildReporterFor, createLineReporter, type BuildEvent } from '../../src/image/index.js';
import { recordingReporter } from '../../src/host/index.js';
import { error } from '../../src/source/index.js';

const events: BuildEvent[] = [
  { kind: 'start', service: 'web', ref: 'r/web:vela-1', contextBytes: 2048 },
  { kind: 'step', service: 'web', step: 'Step 1/2 : FROM scratch', index: 1, total: 2 },
  { kind: 'output', service: 'web', line: 'compiling' },
  { kind: 'cached', service: 'api', ref: 'r/api:vela-2' },
  { kind: 'layer', service: 'web', id: 'abc', status: 'Pushing', current: 50, total: 200 },
  { kind: 'layer', service: 'web', id: 'abc', status: 'Pushed' },
  { kind: 'done', service: 'web', result: { service: 'web', image: 'r/web:vela-1', ref: 'r/web:vela-1@sha256:x', built: true, pushed: true, contextBytes: 2048 } },
  { kind: 'failed', service: 'api', diagnostics: [error('push refused')] },
];

describe('build reporters', () => {
  it('prints one prefixed line per meaningful event', () => {
    const lines: string[] = [];
    const r = createLineReporter((l) => lines.push(l));
    for (const e of events) r.event(e);
    expect(lines).toEqual([
      '[web] building r/web:vela-1 (context 2.0 KiB)',
      '[web] Step 1/2 : FROM scratch',
      '[web]   compiling',
      '[api] r/api:vela-2 is up to date (no changes since it was built)',
      '[web]   abc: Pushed',
      '[api] failed',
    ]);
  });

  it('drives one host task per service', () => {
    const rec = recordingReporter();
    const r = buildReporterFor(rec);
    for (const e of events) r.event(e);
    expect(rec.events).toEqual([
      { kind: 'start', task: 'web', text: 'building r/web:vela-1 (context 2.0 KiB)' },
      { kind: 'step', task: 'web', current: 1, total: 2, text: 'FROM scratch' },
      { kind: 'update', task: 'web', text: 'compiling' },
      { kind: 'start', task: 'api', text: 'r/api:vela-2 is up to date' },
      { kind: 'update', task: 'web', text: 'layer abc: Pushing 25%' },
      { kind: 'update', task: 'web', text: 'layer abc: Pushed' },
      { kind: 'succeed', task: 'web', text: 'r/web:vela-1@sha256:x (built and pushed)' },
      { kind: 'fail', task: 'api', text: 'push refused' },
    ]);
  });
});
