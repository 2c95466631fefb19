/**
 * The dashboard's log stream against the real node (cluster 3, whose kubelet
 * runs pods on the test Docker engine): an app of two services that print
 * lines, followed through the API (every service, and one by the service
 * filter) and in the page in headless Chromium. Screenshot in out/screenshots/.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { deliverToCluster } from '../../src/pipeline/deliver.js';
import type { LogLine } from '../../src/dashboard/index.js';
import { createNodeNamespace, loadBusyboxImage, nodeKubeconfig, realNodeUnavailable } from '../support/real-node.js';
import { buildAssets, openEvents, ROOT, startTestDashboard, type TestDashboard } from './dashboard-server.js';

const why = await realNodeUnavailable('test/dashboard/logs.e2e.test.ts');
const chromiumPath = process.env.VELA_TEST_CHROMIUM ?? '/usr/bin/chromium';
const ns = `vela-dash-logs-${process.pid}`;
const SHOTS = join(ROOT, 'out/screenshots');

/** Two services, each printing numbered lines that name it. */
const appfile = (image: string) => `name: chatter
namespace: ${ns}
services:
${['alpha', 'beta']
  .map(
    (name) => `  ${name}:
    type: worker
    image: ${image}
    imagePullPolicy: Never
    cmd: [sh, -c, 'i=0; while true; do echo "${name} line $$i"; i=$$((i+1)); sleep 1; done']
`,
  )
  .join('')}`;

describe.skipIf(!!why)(why ? `dashboard logs (skipped: ${why})` : 'dashboard logs on the real node', () => {
  let dash: TestDashboard;
  let client: KubeClient;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vela-dash-logs-'));
    const image = await loadBusyboxImage();
    await createNodeNamespace(ns, nodeKubeconfig);
    writeFileSync(join(dir, 'vela.yaml'), appfile(image));
    await deliverToCluster({ cwd: dir, cluster: { kubeconfig: nodeKubeconfig }, build: false });
    client = new KubeClient(await loadClusterTarget({ kubeconfig: nodeKubeconfig }));
    dash = await startTestDashboard({ assetsDir: existsSync(chromiumPath) ? buildAssets() : join(ROOT, 'no-assets'), definitionDirs: [], cluster: { kubeconfig: nodeKubeconfig } });
  }, 120_000);

  afterAll(async () => {
    await dash?.close();
    await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    client?.close();
  });

  const logsUrl = (query: string) => `${dash.origin}/api/apps/local/${ns}/chatter/logs?token=${dash.token}${query}`;

  it("streams every service's real lines, each saying which service, pod and container it came from", async () => {
    const stream = await openEvents(logsUrl(''));
    try {
      const alpha = await stream.next<LogLine>('line', (l) => /^alpha line \d+$/.test(l.line), 150_000);
      const beta = await stream.next<LogLine>('line', (l) => /^beta line \d+$/.test(l.line), 60_000);
      expect(alpha).toMatchObject({ service: 'alpha', container: 'alpha' });
      expect(alpha.pod).toMatch(/^alpha-/);
      expect(beta).toMatchObject({ service: 'beta', container: 'beta' });
      // Following: lines printed after the stream opened arrive too.
      const n = Number(alpha.line.split(' ').pop());
      await stream.next<LogLine>('line', (l) => l.service === 'alpha' && Number(l.line.split(' ').pop()) >= n + 2, 30_000);
    } finally {
      stream.close();
    }
  }, 240_000);

  it('streams one service only when the filter names it', async () => {
    const stream = await openEvents(logsUrl('&service=beta'));
    const seen: LogLine[] = [];
    try {
      for (let i = 0; i < 4; i++) seen.push(await stream.next<LogLine>('line', () => true, 60_000));
    } finally {
      stream.close();
    }
    expect(seen.map((l) => l.service)).toEqual(['beta', 'beta', 'beta', 'beta']);
    expect(seen.every((l) => /^beta line \d+$/.test(l.line))).toBe(true);
  }, 120_000);

  it.skipIf(!existsSync(chromiumPath))('shows the lines in the page, and the service filter narrows them', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${dash.url}#/apps/local/${ns}/chatter`);
      const log = page.getByRole('log', { name: 'Log lines' });
      await expect.poll(() => log.innerText(), { timeout: 60_000 }).toMatch(/\[alpha-[^/]+\/alpha\] alpha line \d+/);
      await expect.poll(() => log.innerText(), { timeout: 30_000 }).toMatch(/\[beta-[^/]+\/beta\] beta line \d+/);
      await page.getByLabel('Service', { exact: true }).selectOption('alpha');
      await expect.poll(() => log.innerText(), { timeout: 30_000 }).toMatch(/alpha line \d+/);
      // Give beta's pod time to print: none of its lines may appear under the filter.
      await page.waitForTimeout(2500);
      const shown = await log.innerText();
      expect(shown).not.toContain('beta line');
      expect(shown.split('\n').length).toBeGreaterThanOrEqual(2);
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, 'dashboard-logs.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 120_000);
});
