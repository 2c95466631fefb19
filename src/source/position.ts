/**
 * Positions in source text. A position is a file plus an offset; the line
 * table is built once per file and line:column is computed only when a
 * position is printed (the approach of cue/token).
 */

export class SourceFile {
  private lineStarts: number[] | undefined;

  constructor(
    /** The name shown in diagnostics (relative to the working directory when possible). */
    readonly name: string,
    readonly text: string,
  ) {}

  /** 1-based line and column (columns count UTF-16 code units, 1-based). */
  lineCol(offset: number): { line: number; column: number } {
    const starts = this.starts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  /** Offset of a 1-based line and column. */
  offsetOf(line: number, column: number): number {
    const starts = this.starts();
    const start = starts[Math.min(Math.max(line - 1, 0), starts.length - 1)]!;
    return start + column - 1;
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = this.starts();
    const start = starts[line - 1];
    if (start === undefined) return '';
    const end = line < starts.length ? starts[line]! - 1 : this.text.length;
    return this.text.slice(start, end).replace(/\r$/, '');
  }

  get lineCount(): number {
    return this.starts().length;
  }

  private starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      const t = this.text;
      for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) === 10) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }
}

/** A half-open range [start, end) of offsets in one file. */
export interface Span {
  readonly file: SourceFile;
  readonly start: number;
  readonly end: number;
}

export function span(file: SourceFile, start: number, end: number = start): Span {
  return { file, start, end };
}

/** `file:line:col` of the start of a span. */
export function formatPos(s: Span): string {
  const { line, column } = s.file.lineCol(s.start);
  return `${s.file.name}:${line}:${column}`;
}
