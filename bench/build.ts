/**
 * bench/build: our build (buildAndPush, push: false) against `docker build` (the docker CLI's classic builder,
 * DOCKER_BUILDKIT=0, the same engine API our adapter uses) on the same context and the same engine, cache cold and
 * warm, in one run.
 *
 *   scripts/docker-daemons.sh start && npx tsx bench/build.ts [runs]      (default 5 runs per figure; medians)
 *
 * Both talk to the engine through a counting proxy on a unix socket, so the bytes of build context each one sends
 * are measured the same way (the request body of POST /build). Prints wall times, the ratios ours/docker (target
 * ≤ 1.1) and the bytes each sent (target: equal). Ours runs in-process (no CLI start-up); docker's time includes
 * starting the docker CLI, as `docker build` always does. Not a test: it asserts nothing.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildAndPush, planBuilds } from '../src/image/index.js';
import { testApp } from '../test/image/app-model.js';

const RUNS = Number(process.argv[2] ?? 5);
const ENGINE = process.env.DOCKER_HOST?.startsWith('unix://') ? process.env.DOCKER_HOST.slice(7) : '/tmp/vela-docker.sock';
const DOCKER = ['/usr/bin/docker', '/usr/local/bin/docker'].find(existsSync) ?? 'docker';
const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'].find(existsSync);

function fail(msg: string): never {
  console.error(`bench/build: ${msg}`);
  process.exit(2);
}

/** A context like a small app: sources, an asset, and ignored folders (node_modules, .git, logs). */
function makeContext(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vela-bench-build-'));
  if (!BUSYBOX) fail('no busybox binary (apt-get install busybox-static)');
  copyFileSync(BUSYBOX, join(dir, 'busybox'));
  writeFileSync(
    join(dir, 'Dockerfile'),
    'FROM scratch\nCOPY busybox /bin/busybox\nCOPY . /app\nRUN ["/bin/busybox", "sh", "-c", "/bin/busybox find /app | /bin/busybox wc -l > /files"]\n',
  );
  writeFileSync(join(dir, '.dockerignore'), 'node_modules\n.git\n**/*.log\n');
  for (let i = 0; i < 300; i++) {
    const sub = join(dir, 'src', `mod${i % 20}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `file${i}.js`), `export const v${i} = ${JSON.stringify(randomBytes(2000).toString('hex'))};\n`);
  }
  writeFileSync(join(dir, 'asset.bin'), randomBytes(8 * 1024 * 1024));
  for (let i = 0; i < 500; i++) {
    const sub = join(dir, 'node_modules', `pkg${i % 50}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `index${i}.js`), randomBytes(4096));
  }
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'pack'), randomBytes(2 * 1024 * 1024));
  writeFileSync(join(dir, 'debug.log'), 'noise\n'.repeat(10000));
  return dir;
}

/** A proxy in front of the engine that counts the request body bytes of POST /build. */
async function countingProxy(socketPath: string) {
  let buildBytes = 0;
  let buildMs = 0;
  const server = createServer((req, res) => {
    const t0 = performance.now();
    const isBuild = req.method === 'POST' && /\/build(\?|$)/.test(req.url ?? '');
    const up = request({ socketPath: ENGINE, method: req.method, path: req.url, headers: req.headers }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      ur.pipe(res);
      if (isBuild) ur.on('end', () => (buildMs = performance.now() - t0));
    });
    up.on('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    req.on('data', (c: Buffer) => {
      if (isBuild) buildBytes += c.length;
    });
    req.pipe(up);
  });
  rmSync(socketPath, { force: true });
  await new Promise<void>((r) => server.listen(socketPath, r));
  return {
    take() {
      const n = buildBytes;
      buildBytes = 0;
      return n;
    },
    /** Time of the last POST /build exchange, first request byte to last response byte. */
    takeMs() {
      const t = buildMs;
      buildMs = 0;
      return t;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (out += c));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const docker = (args: string[], host = ENGINE) => run(DOCKER, ['-H', `unix://${host}`, ...args], { DOCKER_BUILDKIT: '0' });

/** Removes the bench's images and their cached intermediate layers: a cold cache. */
async function coldCache(tags: string[]) {
  await docker(['rmi', '-f', ...tags]);
  await docker(['image', 'prune', '-f']);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => `${n.toFixed(0)} ms`.padStart(9);

async function main() {
  const ping = await docker(['version', '--format', '{{.Server.Version}}']);
  if (ping.code !== 0) fail(`no engine at unix://${ENGINE} (${ping.out.trim()}); run scripts/docker-daemons.sh start`);
  const ctx = makeContext();
  const proxySock = join(tmpdir(), `vela-bench-proxy-${process.pid}.sock`);
  const proxy = await countingProxy(proxySock);
  const oursTag = 'vela-bench/ours:explicit';
  const theirsTag = 'vela-bench/docker:explicit';
  // An explicit tag: ours always builds, like `docker build` (the digest-tag skip is measured apart).
  const app = testApp(ctx, [{ name: 'bench', image: oursTag, build: {} }]);
  const digestApp = testApp(ctx, [{ name: 'bench', image: 'vela-bench/ours', build: {} }]);
  const [plan] = await planBuilds(app);
  const [digestPlan] = await planBuilds(digestApp);

  const ours = async () => {
    const t0 = performance.now();
    const [r] = await buildAndPush(app, { push: false, docker: { socketPath: proxySock } });
    return { ms: performance.now() - t0, sent: proxy.take(), engineMs: proxy.takeMs(), reported: r!.contextBytes };
  };
  const theirs = async () => {
    const t0 = performance.now();
    // Not -q: both stream the build's output, as `vela build` does.
    const r = await docker(['build', '-t', theirsTag, ctx], proxySock);
    const t = performance.now() - t0;
    if (r.code !== 0) fail(`docker build failed:\n${r.out}`);
    const sending = /Sending build context to Docker daemon\s+(\S+)/.exec(r.out)?.[1];
    return { ms: t, sent: proxy.take(), engineMs: proxy.takeMs(), reported: 0, sending };
  };
  const cold = { ours: [] as number[], theirs: [] as number[] };
  const warm = { ours: [] as number[], theirs: [] as number[] };
  const engine = { cold: { ours: [] as number[], theirs: [] as number[] }, warm: { ours: [] as number[], theirs: [] as number[] } };
  const bytes = { ours: 0, theirs: 0, oursReported: 0, theirsSays: '' };
  const allTags = [oursTag, theirsTag, digestPlan!.ref];
  try {
    // Load ours once before timing (the CLI's start-up is in docker's figures; this is the module loading of a
    // long-lived process, paid once by `vela build` too but not per build).
    await coldCache(allTags);
    await ours();
    for (let i = 0; i < RUNS; i++) {
      // Who goes first alternates, so a machine that slows down or speeds up does not favour one side.
      for (const who of i % 2 === 0 ? ['ours', 'theirs'] : ['theirs', 'ours']) {
        await coldCache(allTags);
        if (who === 'ours') {
          const o = await ours();
          cold.ours.push(o.ms);
          engine.cold.ours.push(o.engineMs);
          bytes.ours = o.sent;
          bytes.oursReported = o.reported;
        } else {
          const t = await theirs();
          cold.theirs.push(t.ms);
          engine.cold.theirs.push(t.engineMs);
          bytes.theirs = t.sent;
          bytes.theirsSays = t.sending ?? '?';
        }
      }
    }
    // Warm: the engine's layer cache holds every step (both built the same Dockerfile and context).
    await ours();
    await theirs();
    for (let i = 0; i < RUNS; i++) {
      for (const who of i % 2 === 0 ? ['ours', 'theirs'] : ['theirs', 'ours']) {
        const r = who === 'ours' ? await ours() : await theirs();
        (who === 'ours' ? warm.ours : warm.theirs).push(r.ms);
        (who === 'ours' ? engine.warm.ours : engine.warm.theirs).push(r.engineMs);
      }
    }
    // No change with a digest tag: planning finds the image, nothing is built or sent.
    await buildAndPush(digestApp, { push: false, docker: { socketPath: proxySock } });
    proxy.take();
    const skip: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const [r] = await buildAndPush(digestApp, { push: false, docker: { socketPath: proxySock } });
      skip.push(performance.now() - t0);
      if (r!.built) fail('the digest-tagged image was rebuilt');
    }
    const skipSent = proxy.take();
    const planOnly: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await planBuilds(digestApp);
      planOnly.push(performance.now() - t0);
    }

    const kept = plan!.entries.filter((e) => e.type === 'file').length;
    console.log(`bench/build: context ${ctx}`);
    console.log(`  ${kept} files kept after .dockerignore (node_modules, .git and logs left out), ${RUNS} runs per figure, medians`);
    console.log(`  engine unix://${ENGINE}, docker CLI ${DOCKER} (DOCKER_BUILDKIT=0), load average ${loadavg()[0]!.toFixed(1)}\n`);
    console.log('  wall time              ours    docker build    ratio (target ≤ 1.1)');
    const row = (label: string, a: number[], b: number[]) =>
      console.log(`  ${label.padEnd(16)} ${ms(median(a))}       ${ms(median(b))}    ${(median(a) / median(b)).toFixed(2)}`);
    row('cache cold', cold.ours, cold.theirs);
    row('cache warm', warm.ours, warm.theirs);
    console.log('  of which the engine (POST /build exchange, at the proxy):');
    row('  cache cold', engine.cold.ours, engine.cold.theirs);
    row('  cache warm', engine.warm.ours, engine.warm.theirs);
    console.log(`  no change, digest tag (ours skips the build): ${ms(median(skip)).trim()}, ${skipSent} bytes of context sent`);
    console.log(`  planning alone (what dry-run does: walk and hash the context): ${ms(median(planOnly)).trim()}`);
    console.log('\n  build context sent (request body of POST /build, measured at the proxy):');
    console.log(`    ours          ${bytes.ours} bytes (planned ${plan!.contextBytes}, reported ${bytes.oursReported})`);
    console.log(`    docker build  ${bytes.theirs} bytes (it says "Sending build context to Docker daemon ${bytes.theirsSays}")`);
    console.log(`    ${bytes.ours === bytes.theirs ? 'equal (target met)' : `differ by ${bytes.ours - bytes.theirs} bytes`}`);
  } finally {
    await coldCache(allTags);
    await proxy.close();
    rmSync(proxySock, { force: true });
    rmSync(ctx, { recursive: true, force: true });
  }
}

await main();
