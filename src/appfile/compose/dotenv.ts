/**
 * `.env` and `env_file` files, in the format docker compose reads: `KEY=VALUE`
 * lines, `#` comments, an optional `export ` prefix, single quotes (literal),
 * double quotes (with \n, \t, \\ and \" escapes), and a trailing ` #comment`
 * after an unquoted value. A line without `=` names a variable taken from the
 * environment (compose does the same). A malformed line is an error at its position.
 */
import { error, type Diagnostic, type SourceFile } from '../../source/index.js';

export interface DotenvResult {
  /** In file order; a later line wins. `undefined`: `KEY` alone, take it from the environment. */
  readonly vars: Map<string, string | undefined>;
  readonly diagnostics: Diagnostic[];
}

const keyPattern = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseDotenv(file: SourceFile): DotenvResult {
  const vars = new Map<string, string | undefined>();
  const diagnostics: Diagnostic[] = [];
  const lines = file.lineCount;
  for (let l = 1; l <= lines; l++) {
    const text = file.lineText(l);
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const lineStart = file.offsetOf(l, 1);
    const indent = text.length - text.trimStart().length;
    let body = trimmed.replace(/^export\s+/, '');
    const bodyStart = lineStart + indent + (trimmed.length - body.length);
    const eq = body.indexOf('=');
    const key = (eq < 0 ? body : body.slice(0, eq)).trim();
    if (!keyPattern.test(key)) {
      diagnostics.push(
        // The line is not quoted: it may hold a secret.
        error('invalid line: the text before `=` is not a variable name', { file, start: bodyStart, end: bodyStart + Math.max(1, (eq < 0 ? body : body.slice(0, eq)).length) }, {
          code: 'compose/dotenv',
          hint: 'each line is KEY=VALUE (or # a comment); a name is letters, digits, `_`, `.` and `-`, not starting with a digit',
        }),
      );
      continue;
    }
    if (eq < 0) {
      vars.set(key, undefined);
      continue;
    }
    body = body.slice(eq + 1).trimStart();
    const valueStart = lineStart + text.length - body.length;
    const q = body[0];
    if (q === '"' || q === "'") {
      const value = readQuoted(body, q);
      if (value === undefined) {
        diagnostics.push(error(`unterminated ${q === '"' ? 'double' : 'single'}-quoted value`, { file, start: valueStart, end: valueStart + body.length }, { code: 'compose/dotenv' }));
        continue;
      }
      vars.set(key, value);
    } else {
      vars.set(key, body.replace(/\s+#.*$/, '').trimEnd());
    }
  }
  return { vars, diagnostics };
}

function readQuoted(s: string, q: string): string | undefined {
  let out = '';
  for (let i = 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === q) return out;
    if (q === '"' && c === '\\' && i + 1 < s.length) {
      const n = s[++i]!;
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
      continue;
    }
    out += c;
  }
  return undefined;
}
