/** Positions: a file plus an offset, turned into line:column only when printed. */
import { describe, expect, it } from 'vitest';
import { SourceFile, formatPos, span } from '../../src/source/index.js';

describe('SourceFile', () => {
  const file = new SourceFile('vela.yaml', 'name: shop\nservices:\n  web: {}\n');

  it('turns offsets into 1-based lines and columns, and back', () => {
    expect(file.lineCol(0)).toEqual({ line: 1, column: 1 });
    expect(file.lineCol(6)).toEqual({ line: 1, column: 7 });
    // The line break belongs to the line it ends.
    expect(file.lineCol(10)).toEqual({ line: 1, column: 11 });
    expect(file.lineCol(11)).toEqual({ line: 2, column: 1 });
    expect(file.lineCol(23)).toEqual({ line: 3, column: 3 });
    for (const offset of [0, 6, 11, 23, 30]) {
      const { line, column } = file.lineCol(offset);
      expect(file.offsetOf(line, column)).toBe(offset);
    }
  });

  it('gives the text of a line without its break, and empty text past the end', () => {
    expect(file.lineText(1)).toBe('name: shop');
    expect(file.lineText(3)).toBe('  web: {}');
    // The text ends with a break: the last line is the empty one after it.
    expect(file.lineCount).toBe(4);
    expect(file.lineText(4)).toBe('');
    expect(file.lineText(9)).toBe('');
  });

  it('counts columns in UTF-16 code units, as editors using the LSP convention do', () => {
    const unicode = new SourceFile('u.yaml', 'é: 1\n😀: 2\n');
    expect(unicode.lineCol(unicode.text.indexOf('1'))).toEqual({ line: 1, column: 4 });
    expect(unicode.lineCol(unicode.text.indexOf('2'))).toEqual({ line: 2, column: 5 });
  });

  it('keeps CR out of CRLF line texts but counts it in columns', () => {
    const crlf = new SourceFile('w.yaml', 'a: 1\r\nb: 2\r\n');
    expect(crlf.lineText(1)).toBe('a: 1');
    expect(crlf.lineCol(crlf.text.indexOf('b'))).toEqual({ line: 2, column: 1 });
    expect(crlf.lineCol(crlf.text.indexOf('\r'))).toEqual({ line: 1, column: 5 });
  });
});

describe('formatPos', () => {
  it('prints file:line:col of the start of a span', () => {
    const file = new SourceFile('defs/web.cue', 'parameter: {\n\timage: string\n}\n');
    const start = file.text.indexOf('string');
    expect(formatPos(span(file, start, start + 6))).toBe('defs/web.cue:2:9');
    expect(formatPos(span(file, 0))).toBe('defs/web.cue:1:1');
  });
});
