/**
 * bench/dashboard: the dashboard on the loopback, against the real API server
 * (`scripts/cluster.sh start`) and Debian's Chromium, in one run:
 *  - first paint: a fresh browser context loads the page (first-contentful-paint; target < 1 s);
 *  - the app list of 200 apps: from a click on "Apps" (coming from another page) until the 200 rows
 *    of the bench's namespace are in the table — the live stream opens, the server lists every
 *    namespace, the page renders (target < 300 ms); and the JSON API's GET /api/apps alone.
 * Prints each figure and its ratio to the target (≤ 1.0 meets it). Nothing asserts.
 *
 *   npm run build && npx tsx bench/dashboard.ts [--apps 200] [--runs 5]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { applyApp, KubeClient, loadClusterTarget } from '../src/deploy/index.js';
import { startDashboard } from '../src/dashboard/index.js';
import { memoryEnvironment, mapLimit } from '../src/host/index.js';
import { makeApp } from '../test/support/app-fixtures.js';

const kubeconfig = process.env.VELA_TEST_KUBECONFIG ?? '/tmp/vela-cluster/kubeconfig';
const chromiumPath = process.env.VELA_TEST_CHROMIUM ?? '/usr/bin/chromium';
const argOf = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const APPS = argOf('--apps', 200);
const RUNS = argOf('--runs', 5);
const FIRST_PAINT_TARGET_MS = 1000;
const APP_LIST_TARGET_MS = 300;
const ROOT = resolve(import.meta.dirname, '..');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const line = (what: string, ms: number, target?: number) =>
  console.log(`${what.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms${target ? `   ratio to the ${target} ms target: ${(ms / target).toFixed(2)}` : ''}`);

function assetsDir(): string {
  const built = join(ROOT, 'dist/dashboard-web');
  if (existsSync(join(built, 'app.js'))) return built;
  const dir = mkdtempSync(join(tmpdir(), 'vela-bench-dash-'));
  execFileSync(process.execPath, [join(ROOT, 'scripts/bundle-dashboard.mjs'), dir], { stdio: 'inherit' });
  return dir;
}

async function main(): Promise<void> {
  if (!existsSync(kubeconfig)) throw new Error(`no kubeconfig at ${kubeconfig}: run scripts/cluster.sh build && scripts/cluster.sh start`);
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install chromium, or set VELA_TEST_CHROMIUM`);
  const admin = new KubeClient(await loadClusterTarget({ kubeconfig }));
  const ns = `bench-dash-${Date.now().toString(36)}`;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  const home = mkdtempSync(join(tmpdir(), 'vela-bench-home-'));
  const dashboard = await startDashboard({
    port: 0,
    address: '127.0.0.1',
    addressExplicit: false,
    cwd: home,
    cluster: { kubeconfig },
    environment: memoryEnvironment({ VELA_HOME: home }, home, home),
    requestTimeoutMs: 5000,
    assetsDir: assetsDir(),
  });
  try {
    // Small apps (one ConfigMap each): what is measured is listing and showing them, not what they contain.
    const t0 = performance.now();
    await mapLimit(
      Array.from({ length: APPS }, (_, i) => `app-${String(i).padStart(3, '0')}`),
      6,
      (name) => applyApp(makeApp(name, ns, [{ name: 'main', workload: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-main`, namespace: ns, labels: { 'app.oam.dev/name': name, 'app.oam.dev/component': 'main', 'workload.oam.dev/type': 'raw' } }, data: { app: name } } }]), { kubeconfig }),
    );
    console.log(`deployed ${APPS} apps into ${ns} in ${((performance.now() - t0) / 1000).toFixed(1)} s (not measured)\n`);

    const firstPaints: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${dashboard.url}#/capabilities`, { waitUntil: 'load' });
      const fcp = await page.evaluate("new Promise((resolve) => { const found = () => performance.getEntriesByName('first-contentful-paint')[0]; const entry = found(); if (entry) resolve(entry.startTime); else new PerformanceObserver((list) => resolve(list.getEntries()[0].startTime)).observe({ type: 'paint', buffered: true }); })");
      firstPaints.push(Number(fcp));
      await context.close();
    }

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${dashboard.url}#/capabilities`);
    await page.getByLabel('Search capabilities').waitFor();
    const listTimes: number[] = [];
    const rowsSelector = `table.apps tbody tr td:first-of-type`;
    for (let run = 0; run < RUNS; run++) {
      await page.getByRole('link', { name: 'Capabilities' }).click();
      await page.getByLabel('Search capabilities').waitFor();
      // Let the server notice the apps stream closed: the next list is read fresh, not from a cache.
      await page.waitForTimeout(300);
      const ms = await page.evaluate(
        `new Promise((resolve) => {
          const start = performance.now();
          const count = () => [...document.querySelectorAll(${JSON.stringify(rowsSelector)})].filter((td) => td.textContent === ${JSON.stringify(ns)}).length;
          const check = () => (count() >= ${APPS} ? resolve(performance.now() - start) : requestAnimationFrame(check));
          document.querySelector('nav a[href="#/apps"]').click();
          requestAnimationFrame(check);
        })`,
      );
      listTimes.push(Number(ms));
    }
    await context.close();

    const apiTimes: number[] = [];
    let total = 0;
    for (let run = 0; run < RUNS; run++) {
      const t = performance.now();
      const res = await fetch(`${dashboard.origin}/api/apps`, { headers: { authorization: `Bearer ${dashboard.token}` } });
      const body = (await res.json()) as { clusters: Array<{ apps: unknown[] }> };
      apiTimes.push(performance.now() - t);
      total = body.clusters.reduce((n, c) => n + c.apps.length, 0);
    }

    console.log(`median of ${RUNS} runs; the cluster holds ${total} apps in all (${APPS} of them the bench's)`);
    line('first paint (first-contentful-paint)', median(firstPaints), FIRST_PAINT_TARGET_MS);
    line(`app list of ${APPS} apps, click to rows shown`, median(listTimes), APP_LIST_TARGET_MS);
    line('GET /api/apps (JSON only)', median(apiTimes));
  } finally {
    await browser.close();
    await dashboard.close();
    await admin.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    admin.close();
  }
}

await main();
