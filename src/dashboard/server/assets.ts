/**
 * The front end's files, built by `npm run build` (scripts/bundle-dashboard.mjs)
 * into dist/dashboard-web/ and shipped in the package: nothing is fetched from
 * a CDN at run time. They are read once, when the server starts.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError, nodeFileSystem, type FileSystem } from '../../host/index.js';

export const ASSET_DIR_NAME = 'dist/dashboard-web';
const FILES = { 'app.js': 'text/javascript; charset=utf-8', 'app.css': 'text/css; charset=utf-8' } as const;

export interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

/**
 * The folder of the built front end: the first `dist/dashboard-web` above
 * this module (dist/bundle/ when bundled, src/dashboard/server/ under tsx).
 */
export async function defaultAssetsDir(from = dirname(fileURLToPath(import.meta.url)), fs: FileSystem = nodeFileSystem): Promise<string | undefined> {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, ASSET_DIR_NAME);
    if (await fs.exists(join(candidate, 'app.js'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export async function loadAssets(dir: string | undefined, fs: FileSystem = nodeFileSystem): Promise<Map<string, Asset>> {
  if (!dir) {
    throw new EnvironmentError('the dashboard\'s front end is not built', { code: 'dashboard/assets', hint: 'run `npm run build` (it writes dist/dashboard-web/)' });
  }
  const assets = new Map<string, Asset>();
  for (const [name, type] of Object.entries(FILES)) {
    const path = resolve(dir, name);
    try {
      assets.set(name, { body: await fs.readBytes(path), type });
    } catch {
      throw new EnvironmentError(`the dashboard's front end is incomplete: ${path} cannot be read`, { code: 'dashboard/assets', hint: 'run `npm run build` again' });
    }
  }
  return assets;
}

/**
 * The one HTML page. The script and styles are external files (so a strict
 * Content-Security-Policy holds); the shell paints before they load.
 */
export function indexHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>vela dashboard</title>
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body>
<div id="root"><header class="top"><span class="brand">vela dashboard</span></header><main id="main"><p>Loading…</p></main></div>
</body>
</html>
`;
}
