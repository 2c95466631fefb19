/**
 * The one diagnostic printer, character for character: the code frame (gutter,
 * context lines, caret under the span), the full diagnostic (position, path,
 * hint, related positions) and its colours. Every expected text here is written
 * out by hand.
 */
import { describe, expect, it } from 'vitest';
import { SourceFile, codeFrame, error, formatDiagnostic, formatDiagnostics, span, warning } from '../../src/source/index.js';

const appfile = new SourceFile('vela.yaml', ['name: shop', 'services:', '  web:', '    image: nginx', '    port: "80"', ''].join('\n'));
/** The span of the first occurrence of `text` in the Appfile. */
const at = (text: string, file = appfile) => span(file, file.text.indexOf(text), file.text.indexOf(text) + text.length);

describe('codeFrame', () => {
  it('shows the line above, marks the offending line and underlines the span', () => {
    expect(codeFrame(at('"80"'))).toBe(['  4 |     image: nginx', '> 5 |     port: "80"', '    |           ^^^^'].join('\n'));
  });

  it('shows as many lines above as asked, and none above the first line', () => {
    expect(codeFrame(at('"80"'), { context: 3 })).toBe(
      ['  2 | services:', '  3 |   web:', '  4 |     image: nginx', '> 5 |     port: "80"', '    |           ^^^^'].join('\n'),
    );
    expect(codeFrame(at('shop'), { context: 2 })).toBe(['> 1 | name: shop', '    |       ^^^^'].join('\n'));
    expect(codeFrame(at('shop'), { context: 0 })).toBe(['> 1 | name: shop', '    |       ^^^^'].join('\n'));
  });

  it('pads the gutter to the widest line number', () => {
    const lines = Array.from({ length: 12 }, (_, i) => `k${i + 1}: ${i + 1}`);
    const file = new SourceFile('big.yaml', lines.join('\n'));
    expect(codeFrame(at('k10', file), { context: 2 })).toBe(['   8 | k8: 8', '   9 | k9: 9', '> 10 | k10: 10', '     | ^^^'].join('\n'));
  });

  it('underlines one character for an empty span, and to the end of the line for a span over several lines', () => {
    const offset = appfile.text.indexOf('web');
    expect(codeFrame(span(appfile, offset))).toBe(['  2 | services:', '> 3 |   web:', '    |   ^'].join('\n'));
    const services = appfile.text.indexOf('services');
    expect(codeFrame(span(appfile, services, appfile.text.indexOf('nginx')))).toBe(['  1 | name: shop', '> 2 | services:', '    | ^^^^^^^^^'].join('\n'));
  });

  it('prints a tab as one space, so the caret stays under the span', () => {
    const file = new SourceFile('Appfile', 'name: a\n\tkey: value\n');
    expect(codeFrame(at('value', file))).toBe(['  1 | name: a', '> 2 |  key: value', '    |       ^^^^^'].join('\n'));
  });

  it('leaves out the carriage return of a CRLF line', () => {
    const file = new SourceFile('win.yaml', 'name: a\r\nport: x\r\n');
    expect(codeFrame(at('x', file))).toBe(['  1 | name: a', '> 2 | port: x', '    |       ^'].join('\n'));
  });

  it('paints the marker bold, the gutter dim and the caret bold red when asked', () => {
    const bold = (s: string) => `\u001b[1m${s}\u001b[0m`;
    const dim = (s: string) => `\u001b[2m${s}\u001b[0m`;
    const red = (s: string) => `\u001b[31;1m${s}\u001b[0m`;
    expect(codeFrame(at('shop'), { color: true })).toBe(`${bold('> ')}${dim('1 | ')}name: shop\n  ${dim('  | ')}      ${red('^^^^')}`);
  });
});

describe('formatDiagnostic', () => {
  it('prints severity, position, path and message, then the frame, the hint and related positions', () => {
    const d = error('must be integer (got "80")', at('"80"'), { path: 'services.web.port', hint: 'write the number without quotes', related: [at('web')] });
    expect(formatDiagnostic(d)).toBe(
      [
        'error: vela.yaml:5:11: services.web.port: must be integer (got "80")',
        '  4 |     image: nginx',
        '> 5 |     port: "80"',
        '    |           ^^^^',
        '  hint: write the number without quotes',
        '  see vela.yaml:3:3',
      ].join('\n'),
    );
  });

  it('prints one line for a diagnostic without a position', () => {
    expect(formatDiagnostic(error('--timeout: expected a duration like 30s, 5m or 1h, got "soon"'))).toBe('error: --timeout: expected a duration like 30s, 5m or 1h, got "soon"');
    expect(formatDiagnostic(warning('no services'))).toBe('warning: no services');
  });

  it('colours the severity: errors red, warnings yellow', () => {
    expect(formatDiagnostic(error('bad'), { color: true })).toBe('\u001b[31;1merror\u001b[0m: bad');
    expect(formatDiagnostic(warning('odd'), { color: true })).toBe('\u001b[33;1mwarning\u001b[0m: odd');
  });

  it('separates several diagnostics by a blank line', () => {
    expect(formatDiagnostics([error('first'), warning('second', at('nginx'), { path: 'services.web.image' })])).toBe(
      ['error: first', '', 'warning: vela.yaml:4:12: services.web.image: second', '  3 |   web:', '> 4 |     image: nginx', '    |            ^^^^^'].join('\n'),
    );
  });
});
