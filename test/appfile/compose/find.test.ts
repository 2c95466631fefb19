/** Compose files are found by default, after the Appfile names. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findAppfile } from '../../../src/appfile/index.js';
import { nodeFileSystem } from '../../../src/host/index.js';

const folder = (files: Record<string, string>) => {
  const d = mkdtempSync(join(tmpdir(), 'vela-find-compose-'));
  for (const [n, t] of Object.entries(files)) writeFileSync(join(d, n), t);
  return d;
};
const found = async (d: string) => {
  const r = await findAppfile(d, undefined, { fs: nodeFileSystem, stdin: process.stdin });
  return 'path' in r ? r.path : r.error.message;
};

describe('default lookup', () => {
  it('takes compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml in that order', async () => {
    expect(await found(folder({ 'docker-compose.yml': 'services: {}\n', 'compose.yml': 'services: {}\n' }))).toBe('compose.yml');
    expect(await found(folder({ 'docker-compose.yml': 'services: {}\n', 'docker-compose.yaml': 'services: {}\n' }))).toBe('docker-compose.yaml');
    expect(await found(folder({ 'docker-compose.yml': 'services: {}\n' }))).toBe('docker-compose.yml');
  });

  it('prefers an Appfile over a compose file', async () => {
    expect(await found(folder({ 'compose.yaml': 'services: {}\n', 'vela.yaml': 'name: a\n' }))).toBe('vela.yaml');
    expect(await found(folder({ 'compose.yaml': 'services: {}\n', Appfile: 'name: a\n' }))).toBe('Appfile');
  });
});
