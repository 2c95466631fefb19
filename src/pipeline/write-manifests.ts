/**
 * `--output DIR`: one file per object, numbered in apply order. Everything is
 * rendered and validated before the first write; each file is written
 * atomically (temp file + rename). The folder is never wiped: an index file
 * (`.vela-output.json`) remembers what vela wrote there, so that files of
 * objects that left the Appfile are removed on the next run, and nothing else.
 */
import { join } from 'node:path';
import { manifestFileNames, toYaml, originComment, type Manifest } from '../render/index.js';
import { nodeFileSystem, type FileSystem } from '../host/index.js';

export const OUTPUT_INDEX = '.vela-output.json';

export interface WrittenManifests {
  readonly dir: string;
  readonly files: readonly string[];
  /** Files of an earlier run of the same app that are gone now. */
  readonly removed: readonly string[];
}

export async function writeManifests(dir: string, app: string, manifests: readonly Manifest[], format: 'yaml' | 'json' = 'yaml', fs: FileSystem = nodeFileSystem): Promise<WrittenManifests> {
  const names = manifestFileNames(manifests, format);
  const texts = manifests.map((m) => (format === 'json' ? JSON.stringify(m.object, null, 2) + '\n' : `# ${originComment(m)}\n${toYaml(m.object)}`));
  let previous: string[] = [];
  try {
    const index = JSON.parse(await fs.readText(join(dir, OUTPUT_INDEX))) as { app?: string; files?: unknown };
    if (index.app === app && Array.isArray(index.files)) previous = index.files.filter((f): f is string => typeof f === 'string' && !f.includes('/') && !f.startsWith('.'));
  } catch {
    // no index: nothing of ours is there yet
  }
  for (let i = 0; i < names.length; i++) await fs.writeFileAtomic(join(dir, names[i]!), texts[i]!);
  const keep = new Set(names);
  const removed = previous.filter((f) => !keep.has(f));
  for (const f of removed) await fs.remove(join(dir, f));
  await fs.writeFileAtomic(join(dir, OUTPUT_INDEX), JSON.stringify({ app, files: names }, null, 2) + '\n');
  return { dir, files: names, removed };
}
