/**
 * Watching files and folders for `vela dev`: chokidar underneath (inotify,
 * with its handling of editors that save by rename), and a debounce on top,
 * so that a burst of saves (a formatter, a `git checkout`, an editor writing a
 * swap file then the file) becomes one batch of changed paths, reported once
 * the burst has been quiet for `debounceMs`. What to leave out is the caller's
 * rule (`ignored`), asked per path: the build contexts' `.dockerignore`, the
 * output folder.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';

export interface FileWatchOptions {
  /** Quiet time after the last change before the batch is reported; default 150 ms. */
  readonly debounceMs?: number;
  /** True for an absolute path whose changes do not matter (it is not watched below, when a folder); `folder` when known. */
  readonly ignored?: (path: string, folder?: boolean) => boolean;
  /** Told each batch of changed paths (absolute, sorted, each once). */
  readonly onChange: (paths: readonly string[]) => void;
  readonly onError?: (err: Error) => void;
}

export interface FileWatch {
  /** Resolves once the initial scan is done: changes from then on are reported. */
  readonly ready: Promise<void>;
  /** Watch more paths (a build context added to the Appfile). */
  add(paths: readonly string[]): void;
  close(): Promise<void>;
}

export async function watchFiles(paths: readonly string[], opts: FileWatchOptions): Promise<FileWatch> {
  // Lazy: only `vela dev` needs it.
  const { watch } = await import('chokidar');
  const ignored = opts.ignored;
  // Requested paths, and the ancestors that stand in for the ones that do not exist yet (existingRoots): under an
  // ancestor, only what leads to or lies in a requested path is watched.
  const wanted = new Set(paths.map((path) => resolve(path)));
  const outside = (path: string) => {
    if (path === sep) return false;
    for (const want of wanted) if (path === want || path.startsWith(want + sep) || want.startsWith(path + sep)) return false;
    return true;
  };
  const watcher = watch(existingRoots(paths), {
    ignoreInitial: true,
    ignored: (path: string, stats?: { isDirectory(): boolean }) => {
      const at = resolve(path);
      return outside(at) || (ignored?.(at, stats?.isDirectory()) ?? false);
    },
    // A file saved in pieces is reported once it has stopped growing.
    awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 10 },
  });
  const batch = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const changed = (path: string) => {
    batch.add(resolve(path));
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const paths = [...batch].sort();
      batch.clear();
      opts.onChange(paths);
    }, opts.debounceMs ?? 150);
  };
  watcher.on('all', (_event, path) => changed(path));
  watcher.on('error', (err) => opts.onError?.(err as Error));
  const ready = new Promise<void>((done) => watcher.once('ready', () => done()));
  return {
    ready,
    add: (more) => {
      for (const path of more) wanted.add(resolve(path));
      watcher.add(existingRoots(more));
    },
    close: async () => {
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}

/**
 * Each path, or its nearest folder that exists when it does not (yet): chokidar
 * given a path that does not exist loses changes under the others it watches
 * (about half of the saves made just after `ready`, on Linux). The caller's
 * `ignored` keeps the ancestor's other entries out, and a folder created later
 * is picked up by the watch on its parent.
 */
function existingRoots(paths: readonly string[]): string[] {
  const roots = new Set<string>();
  for (const path of paths) {
    let at = resolve(path);
    while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
    roots.add(at);
  }
  return [...roots];
}
