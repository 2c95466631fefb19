/**
 * `build.image`, as KubeVela's 2020 Appfile writes the image: the same as the
 * service's `image`, either place, both only when they agree.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import DryRun from '../../../src/commands/dry-run.js';
import { formatPos } from '../../../src/source/index.js';
import { runCommand } from '../../cli/harness.js';
import { errorsOf, parse, show, yaml } from '../helpers.js';

// The service of the talk's Appfile, in the parts the test registry knows.
const talk = (...extra: string[]) =>
  yaml(
    'name: testapp', //                       1
    'services:', //                           2
    '  express-server:', //                   3
    '    build:', //                          4
    '      image: oamdev/testapp:v1', //      5
    '      docker:', //                       6
    '        file: Dockerfile', //            7
    '        context: .', //                  8
    '    cmd: ["node", "server.js"]', //      9
    ...extra,
  );

describe('build.image', () => {
  it('is the service image when the service has none', () => {
    const r = parse(talk());
    expect(r.diagnostics.map(show)).toEqual([]);
    const s = r.app!.services[0]!;
    expect(s.image).toBe('oamdev/testapp:v1');
    expect(s.params).toEqual({ image: 'oamdev/testapp:v1', cmd: ['node', 'server.js'] });
    expect(s.build).toMatchObject({ dockerfile: 'Dockerfile', context: '.' });
    // What comes from the image parameter points at build.image.
    expect(formatPos(r.app!.locate(['services', 'express-server', 'image'])!)).toBe('vela.yaml:5:14');
  });

  it('may repeat the service image', () => {
    const r = parse(talk('    image: oamdev/testapp:v1'));
    expect(r.diagnostics.map(show)).toEqual([]);
    expect(r.app!.services[0]!.image).toBe('oamdev/testapp:v1');
    expect(formatPos(r.app!.locate(['services', 'express-server', 'image'])!)).toBe('vela.yaml:10:12');
  });

  it('is an error at its line when it differs from the service image', () => {
    const r = parse(talk('    image: oamdev/testapp:v2'));
    expect(r.app).toBeUndefined();
    expect(r.diagnostics.map(show)).toEqual([
      'vela.yaml:5:14: services.express-server.build.image: build.image "oamdev/testapp:v1" differs from image "oamdev/testapp:v2" [both name the image of the service; keep one of them (image is set at line 10)]',
    ]);
    expect(r.diagnostics[0]!.related!.map(formatPos)).toEqual(['vela.yaml:10:12']);
  });

  it('must be a name', () => {
    // As with any broken build section, the service is then without an image too.
    expect(errorsOf(yaml('name: shop', 'services:', '  web:', '    build: {image: 3}'))).toEqual([
      'vela.yaml:3:3: services.web: missing required parameter "image"',
      'vela.yaml:4:20: services.web.build.image: must be a non-empty string (got 3)',
    ]);
  });

  it('fails `vela dry-run` with exit code 1 and the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vela-build-image-'));
    writeFileSync(join(dir, 'vela.yaml'), talk('    image: oamdev/testapp:v2'));
    const r = await runCommand(DryRun, ['-f', join(dir, 'vela.yaml'), '--no-color']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('vela.yaml:5:14: services.express-server.build.image: build.image "oamdev/testapp:v1" differs from image "oamdev/testapp:v2"');
  });
});
