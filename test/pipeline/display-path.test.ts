import { describe, expect, it } from 'vitest';
import { displayPath } from '../../src/pipeline/display-path.js';

describe('displayPath', () => {
  it('shows a path inside the working folder relative to it, any other as given', () => {
    expect(displayPath('/work/shop', '/work/shop/vela.yaml')).toBe('vela.yaml');
    expect(displayPath('/work/shop', '/work/shop/.vela/definitions/x.cue')).toBe('.vela/definitions/x.cue');
    expect(displayPath('/work/shop', '/work/other/vela.yaml')).toBe('/work/other/vela.yaml');
    expect(displayPath('/work/shop', '/work/shop')).toBe('/work/shop');
    // A name that merely starts with dots is inside.
    expect(displayPath('/work/shop', '/work/shop/..hidden/x')).toBe('..hidden/x');
  });
});
