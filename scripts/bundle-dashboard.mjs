#!/usr/bin/env node
// Build step: the dashboard's front end (src/dashboard/web, preact) bundled by
// esbuild into dist/dashboard-web/app.js and app.css, shipped in the package
// (no CDN at run time). `node scripts/bundle-dashboard.mjs [OUTDIR]`.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function bundleDashboard(outdir = `${root}dist/dashboard-web`) {
  await build({
    absWorkingDir: root,
    entryPoints: { app: 'src/dashboard/web/main.tsx' },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundleDashboard(process.argv[2]);
  console.error('bundled the dashboard into ' + (process.argv[2] ?? 'dist/dashboard-web/'));
}
