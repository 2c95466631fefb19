/**
 * Printers for data on stdout: aligned tables, JSON and YAML. Key order is
 * kept as given (callers sort when they mean to), so output is deterministic.
 */

/**
 * What a formatter makes of a command's result: data for stdout, talk for
 * stderr, and the document `--json` prints instead of both.
 */
export interface CommandOutput<Json = unknown> {
  readonly stdout?: string;
  readonly stderr?: string;
  readonly json: Json;
}

export interface Column<Row> {
  readonly header: string;
  /** The cell text for a row. */
  readonly get: (row: Row) => string;
  readonly align?: 'left' | 'right';
}

export interface TableOptions {
  /** Bold header row (only when colour is allowed). */
  readonly color?: boolean;
  /** Spaces between columns; 3 like kubectl. */
  readonly gap?: number;
}

// Width as the terminal shows it: ANSI codes take no room.
const ANSI = /\u001b\[[0-9;]*m/g;
const visibleLength = (s: string) => s.replace(ANSI, '').length;

/** A table with a header row and columns padded to their widest cell; no trailing spaces. */
export function formatTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[], opts: TableOptions = {}): string {
  const gap = ' '.repeat(opts.gap ?? 3);
  const cells = rows.map((r) => columns.map((c) => c.get(r).replace(/\r?\n/g, ' ')));
  const widths = columns.map((c, i) => Math.max(visibleLength(c.header), ...cells.map((row) => visibleLength(row[i]!))));
  const pad = (s: string, i: number) => {
    const fill = ' '.repeat(widths[i]! - visibleLength(s));
    return columns[i]!.align === 'right' ? fill + s : s + fill;
  };
  const line = (row: readonly string[]) => row.map(pad).join(gap).trimEnd();
  const header = line(columns.map((c) => c.header));
  const head = opts.color ? `\u001b[1m${header}\u001b[0m` : header;
  return [head, ...cells.map(line)].join('\n') + '\n';
}

/** Pretty JSON with a final newline. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** YAML (block style, no line folding, keys in the order given). Async because `yaml` is loaded on first use. */
export async function formatYaml(value: unknown): Promise<string> {
  const { stringify } = await import('yaml');
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Several YAML documents separated by `---`, as kubectl prints a list of manifests. */
export async function formatYamlDocuments(values: readonly unknown[]): Promise<string> {
  const docs = await Promise.all(values.map(formatYaml));
  return docs.join('---\n');
}
