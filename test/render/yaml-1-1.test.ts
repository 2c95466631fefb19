/**
 * YAML output that every reader reads the same: a string that a YAML 1.1
 * reader (kubectl's, Helm's, any Go program's) would take for a boolean,
 * number, null or date is quoted, as a value and as a key. Checked on the
 * known forms and as a property: random strings built from the pieces of
 * those forms round-trip through the `yaml` package's YAML 1.1 and 1.2
 * readers unchanged. The real kubectl reads it in yaml-1-1-kubectl.e2e.test.ts.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toYaml } from '../../src/render/serialize.js';
import { isAmbiguousInYaml11 } from '../../src/render/yaml-1-1-strings.js';
import { fuzzSeed, randomSource } from '../fuzz/random.js';
import { YAML_11_TRAPS } from './yaml-1-1-traps.js';


function readBack(text: string, version: '1.1' | '1.2'): unknown {
  return parse(text, { version, merge: version === '1.1', schema: version === '1.1' ? 'yaml-1.1' : 'core' });
}

describe('YAML for YAML 1.1 readers', () => {
  it.each(YAML_11_TRAPS)('quotes %j as a value and as a key', (s) => {
    expect(isAmbiguousInYaml11(s)).toBe(true);
    const o = { value: s, list: [s], map: { [s]: 'x' } };
    const text = toYaml(o);
    expect(readBack(text, '1.1')).toEqual(o);
    expect(readBack(text, '1.2')).toEqual(o);
  });

  it('leaves ordinary strings plain', () => {
    expect(toYaml({ image: 'nginx:1.27', version: '1.2.3', name: 'web-1', port: 'http', cmd: 'yes-please', at: '10:30am' })).toBe(
      'image: nginx:1.27\nversion: 1.2.3\nname: web-1\nport: http\ncmd: yes-please\nat: 10:30am\n',
    );
  });

  it('keeps numbers and booleans what they are', () => {
    const o = { replicas: 3, ratio: 0.5, on: true, off: false, none: null };
    expect(toYaml(o)).toBe('replicas: 3\nratio: 0.5\n"on": true\n"off": false\nnone: null\n');
    expect(readBack(toYaml(o), '1.1')).toEqual(o);
  });

  it('round-trips random strings made of the pieces of YAML 1.1 scalars through YAML 1.1 and 1.2 readers', () => {
    const seed = fuzzSeed(0x5eed11);
    const rnd = randomSource(seed);
    const pieces = ['0', '1', '7', '9', 'x', 'o', 'b', 'e', 'E', '_', '.', ':', '-', '+', 't', 'T', ' ', 'y', 'n', 'inf', 'nan', 'Yes', 'oN', 'OFF', 'null', '~', '2001-12-14', '59', 'a', 'Z', '<', '=', '#', '"', "'", '\\', '\n'];
    const failures: string[] = [];
    for (let i = 0; i < 3000; i++) {
      let s = '';
      const n = rnd.int(1, 5);
      for (let k = 0; k < n; k++) s += rnd.pick(pieces);
      const o = { [s]: s, list: [s] };
      const text = toYaml(o);
      for (const version of ['1.1', '1.2'] as const) {
        let back: unknown;
        try {
          back = readBack(text, version);
        } catch (e) {
          back = `threw ${(e as Error).message}`;
        }
        if (JSON.stringify(back) !== JSON.stringify(o)) failures.push(`${JSON.stringify(s)} (YAML ${version}): ${JSON.stringify(back)}`);
      }
    }
    expect(failures.slice(0, 10), `seed ${seed}: replay with VELA_FUZZ_SEED=${seed}`).toEqual([]);
  });
});
