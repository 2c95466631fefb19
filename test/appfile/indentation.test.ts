/** Indentation mistakes are explained in plain words, at the line that is indented wrong. */
import { describe, expect, it } from 'vitest';
import { errorsOf, yaml } from './helpers.js';

describe('indentation mistakes', () => {
  it('a key deeper than the key above it, which already has a value', () => {
    expect(errorsOf(yaml('name: shop', 'services:', '  web:', '    image: nginx:1.27', '     port: 80'))).toEqual([
      'vela.yaml:5:6: `port:` is indented deeper than `image:` above it (5 spaces, not 4), but `image:` already has a value on its line [keys of one map start at the same column: indent `port:` by 4 spaces like `image:`; or, if it belongs inside `image`, move `image`\'s value onto lines of its own]',
    ]);
  });

  it('a key between two levels', () => {
    expect(errorsOf(yaml('name: shop', 'services:', '  web:', '    image: nginx:1.27', '   port: 80'))).toEqual([
      'vela.yaml:5:4: `port:` starts at column 4, between the columns of the keys above it [keys of one map start at the same column: indent it by 4 spaces like `image:` (beside it), or by 2 spaces like `web:`]',
    ]);
  });

  it('a setting indented like a service name, under an empty service', () => {
    const errors = errorsOf(yaml('name: shop', 'services:', '  web:', '  image: nginx:1.27'));
    expect(errors).toContain(
      'vela.yaml:4:3: services: `image:` is indented like a service name, so it reads as a service "image"; it is probably a setting of `web` above, which is empty [indent `image:` (and the settings after it) by 4 spaces, under `web:`]',
    );
    expect(errors.join('\n')).not.toContain('a service must be a map');
  });

  it('a parameter indented under another parameter: the hint says so instead of only naming the type', () => {
    expect(errorsOf(yaml('name: shop', 'services:', '  web:', '    ports:', '      image: nginx:1.27'))).toContain(
      'vela.yaml:5:7: services.web.ports: must be array (got a map) [`image` is a parameter beside `ports`, not inside it: probably indented too far; indent it like `ports:`, and give `ports` its own value]',
    );
  });

  it('other YAML errors keep their own message', () => {
    // An unclosed flow map: not a matter of columns, so the parser's own words stay.
    expect(errorsOf(yaml('name: shop', 'services:', '  web: {image: nginx'))).toEqual(['vela.yaml:4:1: Flow map in block collection must be sufficiently indented and end with a }']);
  });
});
