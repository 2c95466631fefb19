/**
 * `vela convert`: a compose file (or a KubeVela Application) → the equivalent
 * Appfile text, with comments naming where each service came from and what
 * was left out; and `vela dry-run --emit application`: an app → the KubeVela
 * Application for clusters that run KubeVela.
 */
import { join, resolve } from 'node:path';
import { toAppfileDocument, composeFileNames, toApplication, type JsonObject } from '../appfile/index.js';
import { DiagnosticError, error, formatDiagnosticLine, type Diagnostic } from '../source/index.js';
import { nodeFileSystem, type FileSystem } from '../host/index.js';
import { loadApp, type LoadAppOptions } from './load-app.js';
import type { DryRunOptions } from './dry-run.js';

export interface ConvertOptions extends LoadAppOptions {
  /** `-o FILE`: write the Appfile there instead of returning it for stdout. */
  output?: string;
  /** Overwrite `output` when it exists. */
  force?: boolean;
  fs?: FileSystem;
}

export interface ConvertResult {
  /** The Appfile text. */
  readonly text: string;
  /** The file read, as shown in messages, and what it was read as. */
  readonly source: string;
  readonly format: 'appfile' | 'compose' | 'application';
  /** Where it was written (with `output`). */
  readonly written?: string;
  readonly warnings: readonly Diagnostic[];
}

export async function convertToAppfile(opts: ConvertOptions): Promise<ConvertResult> {
  const fs = opts.fs ?? nodeFileSystem;
  // Refuse before any work: a typo in -o must not cost the user their Appfile.
  const target = opts.output === undefined ? undefined : resolve(opts.cwd, opts.output);
  if (target !== undefined && !opts.force && (await fs.exists(target))) {
    throw new DiagnosticError([error(`${opts.output} exists already`, undefined, { code: 'convert/exists', hint: 'pass --force to overwrite it, or choose another file with -o' })]);
  }
  let file = opts.file;
  if (file === undefined) {
    // Without FILE, the compose file of the folder: converting the Appfile into itself helps no one.
    for (const name of composeFileNames) if (await fs.exists(resolve(opts.cwd, name))) { file = name; break; }
    if (file === undefined) {
      throw new DiagnosticError([error(`no compose file found in ${opts.cwd}`, undefined, { code: 'convert/not-found', hint: `pass the file to convert, e.g. \`vela convert docker-compose.yml\` (looked for ${composeFileNames.join(', ')})` })]);
    }
  }
  const { app, format, loaded, warnings } = await loadApp({ ...opts, file });
  const { doc, sourceLines } = toAppfileDocument(app, loaded.registry);
  const text = await appfileText(doc, sourceLines, app.file.name, format, warnings);
  if (target !== undefined) await fs.writeFileAtomic(target, text);
  return { text, source: app.file.name, format, ...(target !== undefined ? { written: opts.output! } : {}), warnings };
}

async function appfileText(doc: JsonObject, sourceLines: ReadonlyMap<string, number>, source: string, format: string, warnings: readonly Diagnostic[]): Promise<string> {
  const { Document, isMap, isScalar } = await import('yaml');
  // No anchors: the same value twice (readiness and liveness probes) is written out twice.
  const d = new Document(doc, { aliasDuplicateObjects: false });
  const what = format === 'application' ? 'the KubeVela Application' : format === 'compose' ? 'the compose file' : 'the Appfile';
  const header = [` Converted by \`vela convert\` from ${what} ${source}.`];
  const dropped = warnings.filter((w) => w.span?.file.name === source);
  if (dropped.length) {
    header.push(' Not carried over (warnings of the conversion):');
    for (const w of dropped) header.push(`   ${formatDiagnosticLine(w)}`);
  }
  d.commentBefore = header.join('\n');
  const services = d.get('services', true);
  if (isMap(services)) {
    for (const pair of services.items) {
      const key = pair.key;
      if (isScalar(key)) {
        const line = sourceLines.get(String(key.value));
        if (line !== undefined) key.commentBefore = ` from ${source}:${line}`;
      }
    }
  }
  return d.toString({ lineWidth: 0 });
}

export interface ApplicationResult {
  readonly application: JsonObject;
  /** The Application as text: YAML, or JSON with `output.format` json. */
  readonly text: string;
  readonly source: string;
  /** The file written, with `output.dir`. */
  readonly file?: string;
  readonly unbuilt: readonly { service: string; image: string }[];
  readonly warnings: readonly Diagnostic[];
}

/**
 * The KubeVela Application of an app; services with a build get the tag their
 * build would produce. With `output.dir` it is written there as
 * `application.yaml` (or `.json`).
 */
export async function applicationFor(opts: DryRunOptions): Promise<ApplicationResult> {
  const { app, warnings } = await loadApp(opts);
  const images: Record<string, string> = { ...opts.images };
  const unbuilt: { service: string; image: string }[] = [];
  const toPlan = app.services.filter((s) => s.build && images[s.name] === undefined);
  if (toPlan.length) {
    const { planBuilds } = await import('../image/index.js');
    for (const p of await planBuilds(app, { only: toPlan.map((s) => s.name) })) {
      images[p.service] = p.ref;
      unbuilt.push({ service: p.service, image: p.ref });
    }
  }
  const application = toApplication(app, { ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}), images });
  const format = opts.output?.format ?? 'yaml';
  const { toYaml } = await import('../render/index.js');
  const text = format === 'json' ? JSON.stringify(application, null, 2) + '\n' : toYaml(application);
  const result = { application, text, source: app.file.name, unbuilt, warnings };
  if (opts.output?.dir === undefined) return result;
  const file = join(opts.output.dir, `application.${format}`);
  await (opts.output.fs ?? nodeFileSystem).writeFileAtomic(file, text);
  return { ...result, file };
}
