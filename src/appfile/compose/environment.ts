/**
 * `env_file` and `environment` → the `env` parameter. The files are read
 * first and `environment` wins, as in docker compose; a variable named without
 * a value is taken from the environment, and left out (with a warning) when it
 * is not set there.
 */
import { posix } from 'node:path';
import { SourceFile, warning, type Span } from '../../source/index.js';
import type { DocPath } from '../model.js';
import { describe } from '../yaml-tree.js';
import { unreadableFile } from './top-level.js';
import type { ServiceConversion } from './conversion.js';
import { parseDotenv } from './dotenv.js';

interface EnvVar {
  readonly name: string;
  readonly value: string;
  readonly from: 'environment' | 'env_file';
  readonly path: DocPath;
}

export function convertEnvironment(c: ServiceConversion): void {
  const env = readEnvironment(c);
  if (!env.length) return;
  const first = env[0]!.from;
  c.param(
    'env',
    env.map((v) => ({ name: v.name, value: v.value })),
    [...c.base, first],
    c.get(first)!.keySpan,
  );
  env.forEach((v, i) => c.ctx.origins.add([...c.base, 'env', i], v.path));
}

function readEnvironment(c: ServiceConversion): EnvVar[] {
  const { ctx, base } = c;
  const vars = new Map<string, EnvVar>();
  const bad = (msg: string, span: Span, hint?: string) => c.error(msg, span, 'compose/environment', hint);
  const fromEnv = (k: string, at: Span, from: EnvVar['from'], path: DocPath) => {
    const v = ctx.lookup(k);
    if (v === undefined) ctx.diags.push(warning(`${k} has no value and is not set in the environment; left out`, at, { path: `services.${c.name}`, code: 'compose/unset-variable' }));
    else vars.set(k, { name: k, value: v, from, path });
  };
  const envFile = c.get('env_file');
  if (envFile) {
    const items = envFile.value.kind === 'seq' ? envFile.value.items.map((it, i) => ({ it, path: [...base, 'env_file', i] as DocPath })) : [{ it: envFile.value, path: [...base, 'env_file'] as DocPath }];
    for (const { it, path } of items) {
      let p: string | undefined;
      let required = true;
      if (it.kind === 'scalar' && typeof it.value === 'string') p = it.value;
      else if (it.kind === 'map') {
        for (const x of it.entries) {
          if (x.key === 'path' && x.value.kind === 'scalar' && typeof x.value.value === 'string') p = x.value.value;
          else if (x.key === 'required') required = !(x.value.kind === 'scalar' && x.value.value === false);
          else if (x.key === 'format') ctx.diags.push(warning('env_file.format is ignored; the file is read as KEY=VALUE lines', x.keySpan, { code: 'compose/ignored' }));
        }
      }
      if (p === undefined) {
        bad(`env_file must be a path or {path, required} (got ${describe(it)})`, it.span);
        continue;
      }
      const text = ctx.files(p);
      if (typeof text !== 'string') {
        // A refused file is an error even when optional: the user named it, and vela would not read it.
        if (required || text !== undefined) {
          ctx.diags.push({ ...unreadableFile(`env file ${p}`, text, it.span, "the path is relative to the compose file's folder; `{path: ..., required: false}` makes it optional"), path: `services.${c.name}` });
        }
        continue;
      }
      const parsed = parseDotenv(new SourceFile(posix.join(posix.dirname(it.span.file.name), p), text));
      // At the compose key, not in the file: a code frame of an env file would print its secrets.
      for (const d of parsed.diagnostics) {
        const line = d.span ? d.span.file.lineCol(d.span.start).line : undefined;
        ctx.diags.push({ ...d, message: `env file ${p}${line ? `, line ${line}` : ''}: ${d.message}`, span: it.span });
      }
      for (const [k, v] of parsed.vars) {
        if (v === undefined) fromEnv(k, it.span, 'env_file', path);
        else vars.set(k, { name: k, value: v, from: 'env_file', path });
      }
    }
  }
  const environment = c.get('environment');
  if (environment) {
    const v = environment.value;
    if (v.kind === 'map') {
      for (const e of v.entries) {
        const path: DocPath = [...base, 'environment', e.key];
        if (e.value.kind !== 'scalar') bad(`environment variable ${e.key} must be a string (got ${describe(e.value)})`, e.value.span);
        else if (e.value.value === null) fromEnv(e.key, e.keySpan, 'environment', path);
        else vars.set(e.key, { name: e.key, value: String(e.value.value), from: 'environment', path });
      }
    } else if (v.kind === 'seq') {
      v.items.forEach((it, i) => {
        const path: DocPath = [...base, 'environment', i];
        if (it.kind !== 'scalar' || typeof it.value !== 'string') return bad(`an environment entry must be KEY=VALUE (got ${describe(it)})`, it.span);
        const eq = it.value.indexOf('=');
        if (eq === 0) return bad(`invalid environment entry "${it.value}"`, it.span, 'write KEY=VALUE');
        if (eq < 0) fromEnv(it.value, it.span, 'environment', path);
        else vars.set(it.value.slice(0, eq), { name: it.value.slice(0, eq), value: it.value.slice(eq + 1), from: 'environment', path });
      });
    } else if (v.value !== null) bad(`environment must be a map or a list (got ${describe(v)})`, v.span, 'for example `environment: {LOG_LEVEL: debug}`');
  }
  return [...vars.values()];
}
