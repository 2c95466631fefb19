/**
 * A definition file stands alone (KubeVela installs each one by itself), so
 * the components that run a container each carry their own copy of the code
 * that reads `env` and `files`. The copies must not drift apart.
 */
import { describe, expect, it } from 'vitest';
import { definitionText } from './harness.js';

const START = '// ---- env and files:';
const END = '// ---- end of env and files ----';
const COMPONENTS = ['webservice', 'worker', 'statefulset', 'daemon', 'task', 'cron-task'];

function block(name: string): string {
  const text = definitionText(name);
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  expect(from, `${name} has the env and files block`).toBeGreaterThan(0);
  expect(to).toBeGreaterThan(from);
  return text.slice(from, to);
}

describe('the env and files block', () => {
  it('is the same in every component that runs a container', () => {
    const reference = block('webservice');
    for (const name of COMPONENTS.slice(1)) expect(block(name), name).toBe(reference);
  });
});
