/**
 * The dashboard in a real headless Chromium (Debian's, driven by
 * playwright-core; nothing is downloaded): the app list, a service whose
 * health changes while the page is open, a plan with a field diff applied
 * after confirmation, a malformed Appfile's diagnostics, the capability
 * search, the token check, and a cluster that goes away and comes back.
 * Screenshots go to out/screenshots/ (kept as CI artifacts).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { applyApp, KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { clusterJoin } from '../../src/pipeline/clusters.js';
import { registryAdd } from '../../src/pipeline/addon-manage.js';
import { memoryEnvironment } from '../../src/host/index.js';
import { makeApp } from '../support/app-fixtures.js';
import { kubeconfig, realClusterUnavailable } from '../support/real-cluster.js';
import { DISRUPTABLE_CLUSTER, listRealClusters, startApiserver, stopApiserver, withDisruptedCluster } from '../support/real-clusters.js';
import { buildAssets, ROOT, startTestDashboard, type TestDashboard } from './dashboard-server.js';

const chromiumPath = process.env.VELA_TEST_CHROMIUM ?? '/usr/bin/chromium';
const clusterProblem = await realClusterUnavailable('test/dashboard/browser.e2e.test.ts');
const noChromium = existsSync(chromiumPath) ? '' : `no Chromium at ${chromiumPath} (apt-get install chromium, or set VELA_TEST_CHROMIUM)`;
if (noChromium && process.env.VELA_E2E_REQUIRED === '1') throw new Error(`Chromium is required (VELA_E2E_REQUIRED=1): ${noChromium}`);
if (noChromium) console.warn(`test/dashboard/browser.e2e.test.ts skipped: ${noChromium}`);
const skip = clusterProblem || noChromium;

const ns = `vela-dash-ui-${process.pid}`;
const SHOTS = join(ROOT, 'out/screenshots');
const client = skip ? undefined : new KubeClient(await loadClusterTarget({ kubeconfig }));
const edge = listRealClusters().find((c) => c.index === DISRUPTABLE_CLUSTER);

const pasted = (image: string) => `name: paste
namespace: ${ns}-p
services:
  web:
    image: ${image}
    ports:
      - port: 80
        expose: true
`;

describe.skipIf(!!skip)('dashboard in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let dash: TestDashboard;
  /** Each test opens its page itself, with the token, so it runs alone too. */
  const open = (route: string) => page.goto(`${dash.url}#/${route}`);
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `dashboard-${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const assetsDir = buildAssets();
    await applyApp(makeApp('shop', ns, [{ name: 'web', port: 8080 }, { name: 'worker' }]), { kubeconfig });
    dash = await startTestDashboard({ assetsDir });
    if (edge) {
      const environment = memoryEnvironment({ VELA_HOME: dash.home }, dash.cwd, dash.home);
      await clusterJoin({ kubeconfig: edge.kubeconfig, name: 'edge', env: environment, timeoutMs: 5000 });
    }
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await browser?.close();
    await dash?.close();
    for (const name of [ns, `${ns}-p`]) await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name }).catch(() => undefined);
    client?.close();
  });

  it('lists the apps, takes the token out of the address bar, and filters', async () => {
    await page.goto(dash.url);
    const row = page.locator('table.apps tbody tr', { has: page.locator(`td:text-is("${ns}")`) });
    await row.first().waitFor();
    expect(await row.locator('th a').innerText()).toBe('shop');
    expect(await row.locator('td').last().innerText()).toBe('web, worker');
    expect(page.url()).not.toContain('token');
    await page.getByLabel('Filter apps').fill(ns);
    await expect.poll(() => page.locator('table.apps tbody tr').count()).toBe(1);
    await shot('apps');
  });

  it("shows a service's detail and its health changing live", async () => {
    await open(`apps/local/${ns}/shop`);
    await page.getByRole('heading', { level: 1, name: 'shop' }).waitFor();
    const web = page.locator('article[data-service="web"]');
    await web.locator('.badge', { hasText: 'unhealthy' }).waitFor();
    expect(await web.locator('dd.replicas').innerText()).toBe('0/1');
    expect(await web.innerText()).toContain('nginx:1.25');
    expect(await web.innerText()).toContain(`web.${ns}.svc:8080`);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'services healthy' }).innerText()).toBe('0 of 2 services healthy');

    // The cluster has no controllers: say what the Deployment controller would say once the rollout is done.
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const apps = kc.makeApiClient(AppsV1Api);
    const live = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    live.status = { observedGeneration: live.metadata!.generation, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 };
    await apps.replaceNamespacedDeploymentStatus({ name: 'web', namespace: ns, body: live });

    await web.locator('.badge', { hasText: /^healthy$/ }).waitFor({ timeout: 20_000 });
    // Health and replicas are read by separate requests: a reading that straddled the change may show one before the other.
    await expect.poll(() => web.locator('dd.replicas').innerText()).toBe('1/1');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'services healthy' }).innerText()).toBe('1 of 2 services healthy');
    await shot('service-detail');
  });

  it('plans a pasted Appfile, applies it after confirmation, and shows the field diff of a change', async () => {
    await open('plan');
    await page.getByLabel('Appfile (YAML)').fill(pasted('nginx:1.25'));
    await page.getByRole('button', { name: 'Plan' }).click();
    await page.locator('table.plan tr[data-object="Deployment/web"] .action', { hasText: 'create' }).waitFor();
    await page.getByRole('button', { name: 'Apply…' }).click();
    const dialog = page.getByRole('alertdialog');
    expect(await dialog.innerText()).toContain(`namespace ${ns}-p`);
    // The confirmation takes focus: Enter confirms from the keyboard.
    await expect.poll(() => page.evaluate('document.activeElement?.textContent')).toBe('Yes, apply');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Applied paste' }).waitFor({ timeout: 30_000 });
    expect((await client!.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: `${ns}-p` }))?.metadata?.name).toBe('web');

    await page.getByLabel('Appfile (YAML)').fill(pasted('nginx:1.26'));
    await page.getByRole('button', { name: 'Plan' }).click();
    const row = page.locator('table.plan tr[data-object="Deployment/web"]');
    await row.locator('.action', { hasText: 'update' }).waitFor();
    const change = row.locator('table.diff tr', { hasText: 'spec.template.spec.containers[0].image' });
    expect(await change.locator('td.before').innerText()).toBe('nginx:1.25');
    expect(await change.locator('td.after').innerText()).toBe('nginx:1.26');
    expect(await page.locator('table.plan tr[data-object="Service/web"] .action').innerText()).toBe('unchanged');
    await shot('plan-diff');
  });

  it("shows a malformed Appfile's diagnostics as the CLI prints them", async () => {
    const bad = `name: bad\nservices:\n  web:\n    image: nginx:1.25\n    replicas: many\n`;
    await open('plan');
    await page.getByLabel('Appfile (YAML)').fill(bad);
    await page.getByRole('button', { name: 'Plan' }).click();
    const alert = page.locator('.failure pre.diagnostics');
    await alert.waitFor();
    const { execa } = await import('execa');
    const cli = await execa(process.execPath, [join(ROOT, 'bin/dev.js'), 'dry-run', '-f', '-'], { input: bad, reject: false, cwd: dash.cwd, env: { NO_COLOR: '1', VELA_HOME: dash.home } });
    expect(cli.stderr).toMatch(/^error: <stdin>:5:5: /);
    expect((await alert.innerText()).trim()).toBe(cli.stderr.trim());
    await shot('plan-diagnostics');
  });

  it('searches the capabilities and shows one with its parameters and an example', async () => {
    await open('capabilities');
    const all = Number((await page.getByRole('status').filter({ hasText: ' of ' }).innerText()).split(' of ')[1]);
    expect(all).toBeGreaterThan(10);
    await page.getByLabel('Search capabilities').fill('fixed number of replicas');
    await expect.poll(() => page.locator('#cap-results li a').allInnerTexts()).toContain('scaler');
    const found = await page.locator('#cap-results li').allInnerTexts();
    expect(found.length).toBeLessThan(all);
    for (const item of found) for (const word of ['fixed', 'number', 'replicas']) expect(item.toLowerCase()).toContain(word);
    await page.locator('#cap-results li a', { hasText: 'scaler' }).click();
    const table = page.locator('table.params');
    await table.waitFor();
    const replicas = table.locator('tbody tr', { has: page.locator('th code', { hasText: /^replicas$/ }) });
    expect(await replicas.locator('td').allInnerTexts()).toEqual(['Number of pods to run', 'int', 'no', '1']);
    expect(await page.locator('pre.example').innerText()).toContain('traits:\n      scaler: {}');
    await shot('capabilities');
  });

  it('finds addons next to components and traits, and shows one with the definitions it brings', async () => {
    await registryAdd({ cwd: dash.cwd, velaHome: dash.home }, 'catalog', join(ROOT, 'test/fixtures/catalog'));
    await open('capabilities');
    await page.getByLabel('Search capabilities').fill('addon fluxcd');
    await expect.poll(() => page.locator('#cap-results li').allInnerTexts()).toEqual([expect.stringMatching(/^fluxcd addon, disabled\n/)]);
    await page.locator('#cap-results li a', { hasText: 'fluxcd' }).click();
    const table = page.getByRole('table', { name: 'Definitions it brings' });
    await table.waitFor();
    expect(await table.locator('tbody th').allInnerTexts()).toEqual(['helm', 'kustomize']);
    expect(await page.getByRole('heading', { level: 2 }).filter({ hasText: 'fluxcd' }).innerText()).toMatch(/fluxcd addon\s+disabled/);
    expect(await page.locator('.detail').innerText()).toContain('vela addon enable fluxcd');
    // Components and traits stay in the same search.
    await page.getByLabel('Search capabilities').fill('scaler');
    await expect.poll(() => page.locator('#cap-results li[data-kind="trait"] a').allInnerTexts()).toContain('scaler');
    await shot('addons');
  });

  it('refuses the API without the token and says so on the page', async () => {
    const stranger = await browser.newPage();
    try {
      await stranger.goto(`${dash.origin}/`);
      await stranger.getByRole('alert').filter({ hasText: 'access token' }).waitFor();
      expect(await stranger.evaluate(async () => (await fetch('/api/apps')).status)).toBe(401);
      expect(await stranger.evaluate(async () => (await fetch('/api/apps', { headers: { authorization: 'Bearer wrong' } })).status)).toBe(401);
      await stranger.screenshot({ path: join(SHOTS, 'dashboard-no-token.png') });
    } finally {
      await stranger.close();
    }
  });

  it.skipIf(!edge)('shows a cluster that goes away as unreachable, and recovers when it is back', async () => {
    const row = page.locator('tr[data-cluster="edge"]');
    // The hold is taken first: inside it no other test file disrupts the cluster, and one left stopped is started.
    await withDisruptedCluster(edge!, async () => {
      await startApiserver(edge!);
      await open('clusters');
      await row.locator('.badge', { hasText: /^reachable$/ }).waitFor({ timeout: 30_000 });
      expect(await row.locator('td').nth(1).innerText()).toMatch(/^v1\.20\./);
      await stopApiserver(edge!);
      await row.locator('.badge', { hasText: 'unreachable' }).waitFor({ timeout: 30_000 });
      await shot('cluster-unreachable');
      await open('apps');
      await page.locator('.notice', { hasText: 'edge' }).waitFor({ timeout: 30_000 });
      await startApiserver(edge!);
      await open('clusters');
      await row.locator('.badge', { hasText: /^reachable$/ }).waitFor({ timeout: 60_000 });
    });
    await shot('cluster-recovered');
  }, 420_000);
});
