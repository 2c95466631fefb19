/** Diagnostics as values, the error that carries them, and the "did you mean" hints. */
import { describe, expect, it } from 'vitest';
import { DiagnosticError, SourceFile, closest, didYouMean, editDistance, error, formatDiagnosticLine, span, warning } from '../../src/source/index.js';

const file = new SourceFile('vela.yaml', 'services:\n  web:\n    tpye: worker\n');
const typo = span(file, file.text.indexOf('tpye'), file.text.indexOf('tpye') + 4);

describe('formatDiagnosticLine', () => {
  it('is `file:line:col: path: message`, leaving out what the diagnostic lacks', () => {
    expect(formatDiagnosticLine(error('unknown key', typo, { path: 'services.web.tpye' }))).toBe('vela.yaml:3:5: services.web.tpye: unknown key');
    expect(formatDiagnosticLine(error('unknown key', typo))).toBe('vela.yaml:3:5: unknown key');
    expect(formatDiagnosticLine(warning('no namespace', undefined, { path: 'namespace' }))).toBe('namespace: no namespace');
    expect(formatDiagnosticLine(error('cannot reach the cluster'))).toBe('cannot reach the cluster');
  });
});

describe('DiagnosticError', () => {
  it('carries its diagnostics and an exit code (1 unless told), with one line per diagnostic as message', () => {
    const err = new DiagnosticError([error('unknown key', typo, { path: 'services.web.tpye' }), error('no image')]);
    expect(err.exitCode).toBe(1);
    expect(err.name).toBe('DiagnosticError');
    expect(err.message).toBe('vela.yaml:3:5: services.web.tpye: unknown key\nno image');
    expect(new DiagnosticError([error('registry refused')], 2).exitCode).toBe(2);
  });
});

describe('did you mean', () => {
  it('measures edits between words', () => {
    expect(editDistance('type', 'type')).toBe(0);
    expect(editDistance('tpye', 'type')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('scaler', 'scale')).toBe(1);
  });

  it('suggests the closest candidate within a distance that grows with the word, ignoring case', () => {
    expect(closest('tpye', ['image', 'type', 'traits'])).toBe('type');
    expect(closest('WebService', ['webservice', 'worker'])).toBe('webservice');
    expect(closest('xyz', ['image', 'type'])).toBeUndefined();
    // Equally close: the first in sort order, so the hint does not depend on the candidates' order.
    expect(closest('cat', ['hat', 'bat'])).toBe('bat');
    expect(didYouMean('tpye', ['type'])).toBe('did you mean `type`?');
    expect(didYouMean('zzzz', ['type'])).toBeUndefined();
  });
});
