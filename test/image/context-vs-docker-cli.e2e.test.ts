/**
 * The context we send against the one the docker CLI sends, for the same
 * folder and .dockerignore: same entries, same order, same bytes. The CLI
 * talks to a stand-in engine on a unix socket that keeps the tar it receives,
 * so only the `docker` program is needed (skipped, saying so, without it).
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planBuilds } from '../../src/image/index.js';
import { createContextTar } from '../../src/image/context-tar.js';
import { testApp } from './app-model.js';

const DOCKER = ['/usr/bin/docker', '/usr/local/bin/docker'].find(existsSync);
const skipReason = DOCKER ? undefined : 'no docker CLI (apt-get install docker.io)';
if (skipReason && process.env.VELA_E2E_REQUIRED === '1') throw new Error(`the docker CLI is required (VELA_E2E_REQUIRED=1): ${skipReason}`);
if (skipReason) console.warn(`[context vs docker CLI] skipped: ${skipReason}`);

async function tarEntries(tar: Buffer): Promise<string[]> {
  const { extract } = await import('tar-stream');
  const ex = extract();
  const names: string[] = [];
  ex.on('entry', (h, s, next) => {
    names.push(`${h.type} ${h.name.replace(/\/$/, '')} ${h.type === 'file' ? h.size : h.type === 'symlink' ? h.linkname : ''}`.trim());
    s.resume();
    s.on('end', next);
  });
  const done = new Promise<void>((res, rej) => {
    ex.on('finish', () => res());
    ex.on('error', rej);
  });
  ex.end(tar);
  await done;
  return names;
}

describe.skipIf(skipReason !== undefined)('the build context, ours against the docker CLI', () => {
  const root = mkdtempSync(join(tmpdir(), 'vela-ctxdiff-'));
  const sock = join(root, 'engine.sock');
  const ctx = join(root, 'ctx');
  let received: Buffer | undefined;
  let server: Server;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.endsWith('/_ping')) {
        res.writeHead(200, { 'Api-Version': '1.41', 'Content-Type': 'text/plain', OSType: 'linux' });
        res.end(req.method === 'HEAD' ? undefined : 'OK');
        return;
      }
      if (req.method === 'POST' && /\/build\?/.test(req.url ?? '')) {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          received = Buffer.concat(chunks);
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end('{"stream":"Successfully built 0123456789ab\\n"}\r\n');
        });
        return;
      }
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"message":"not in this stand-in"}');
    });
    await new Promise<void>((r) => server.listen(sock, r));
    const files: Record<string, string> = {
      Dockerfile: 'FROM scratch\nCOPY . /\n',
      '.dockerignore': '# comment\n*.md\n!README.md\n**/*.tmp\n!src/keep.tmp\n/build\ndist/\nnode_modules\n**/.cache\ndocs/**/draft*\n  spaced.txt  \n',
      'README.md': 'r',
      'CHANGELOG.md': 'c',
      'src/a.ts': 'a'.repeat(700),
      'src/b.tmp': 'b',
      'src/keep.tmp': 'k',
      'src/deep/er/x.md': 'nested md is kept',
      'build/out.js': 'o',
      'dist/x.js': 'x',
      'node_modules/p/i.js': 'i',
      'sub/node_modules/q.js': 'q',
      '.cache/c': 'c',
      'sub/.cache/d': 'd',
      'docs/a/draft1.txt': 'd1',
      'docs/a/b/draft2.txt': 'd2',
      'docs/final.txt': 'f',
      'spaced.txt': 's',
      'a-b/c': 'order: a-b sorts before a/…',
      'a/b': 'ab',
      'exec.sh': '#!/bin/sh\n',
    };
    for (const [p, content] of Object.entries(files)) {
      mkdirSync(dirname(join(ctx, p)), { recursive: true });
      writeFileSync(join(ctx, p), content);
    }
    chmodSync(join(ctx, 'exec.sh'), 0o755);
    mkdirSync(join(ctx, 'empty'));
    symlinkSync('src/a.ts', join(ctx, 'link'));
  });

  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(root, { recursive: true, force: true });
  });

  it('sends the same entries in the same order, and the same number of bytes', async () => {
    // Asynchronously: the stand-in engine answers from this same process.
    const r = await new Promise<{ status: number | null; out: string }>((resolve, reject) => {
      const p = spawn(DOCKER!, ['-H', `unix://${sock}`, 'build', '-t', 'ctxdiff:1', ctx], {
        env: { ...process.env, DOCKER_BUILDKIT: '0', DOCKER_CONFIG: root },
      });
      let out = '';
      p.stdout.on('data', (c) => (out += c));
      p.stderr.on('data', (c) => (out += c));
      p.on('error', reject);
      p.on('close', (status) => resolve({ status, out }));
    });
    expect(r.status, r.out).toBe(0);
    expect(received).toBeDefined();
    const theirs = await tarEntries(received!);

    const [plan] = await planBuilds(testApp(ctx, [{ name: 'web', image: 'ctxdiff', build: {} }]));
    const tar = await createContextTar(plan!.entries);
    const chunks: Buffer[] = [];
    for await (const c of tar.stream) chunks.push(c as Buffer);
    const ours = await tarEntries(Buffer.concat(chunks));

    expect(theirs.length).toBeGreaterThan(15);
    expect(ours).toEqual(theirs);
    expect(tar.bytes()).toBe(received!.length);
    // A few of the rules, spelled out.
    expect(ours).toContain('file README.md 1');
    expect(ours).not.toContain('file CHANGELOG.md 1');
    expect(ours).toContain('file src/keep.tmp 1');
    expect(ours).toContain('file src/deep/er/x.md 17');
    expect(ours).toContain('file sub/node_modules/q.js 1');
    expect(ours.some((e) => e.includes('draft'))).toBe(false);
  });
});
