/**
 * Git repositories as addon registries and definition sources, through the
 * system `git` (the user's credentials, proxies and SSH setup work as they do
 * for git itself): a shallow clone of a branch or tag, or of one commit for a
 * lock file's restore. Clones go to a cache folder and replace it only once
 * complete. Credentials in a URL are never shown (`https://***@host/...`).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { EnvironmentError, makeDir, removeTree, renamePath } from '../host/index.js';
import { DiagnosticError, error } from '../source/index.js';

export interface GitCheckout {
  /** The working tree. */
  readonly dir: string;
  /** The commit checked out (40 hex digits). */
  readonly commit: string;
}

export interface GitCheckoutOptions {
  readonly url: string;
  /** A branch or tag; default the remote's HEAD. */
  readonly ref?: string;
  /** Check out exactly this commit (restoring from a lock file). */
  readonly commit?: string;
  /** Where clones are kept, one folder per URL and ref. */
  readonly cacheDir: string;
  readonly signal?: AbortSignal;
  /** Per git command; default 2 minutes. */
  readonly timeoutMs?: number;
}

/** The URL with any user and password replaced, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
}

/** URLs git may be asked to fetch: https, http, ssh, git and file URLs, and scp-like `user@host:path`. Never git's `ext::` or an option. */
export function isAllowedGitUrl(url: string): boolean {
  return /^(https?|ssh|git|file):\/\//i.test(url) || /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^-]/.test(url);
}

const REF = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/** A failed git run, by what its error output says. */
function gitFailure(url: string, ref: string | undefined, stderr: string): Error {
  const shown = redactUrl(url);
  const line = stderr.split('\n').map((l) => l.trim()).find((l) => /^(fatal|error):/.test(l)) ?? stderr.trim().split('\n')[0] ?? 'git failed';
  const detail = redactUrl(line.replace(/^(fatal|error):\s*/, '')).replaceAll(url, shown);
  if (ref && /Remote branch .* not found|couldn't find remote ref|not our ref/i.test(stderr)) {
    return new DiagnosticError([error(`git repository ${shown} has no branch or tag "${ref}"`, undefined, { code: 'git/no-ref', hint: 'check the #REF of the source' })]);
  }
  return new EnvironmentError(`cannot fetch git repository ${shown}: ${detail}`, { code: 'git/unreachable', hint: 'check the URL, your network and your git credentials (git clone must work)' });
}

async function git(args: readonly string[], opts: { cwd?: string; signal?: AbortSignal; timeoutMs?: number }): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const { execa } = await import('execa');
  try {
    const r = await execa('git', args, {
      cwd: opts.cwd,
      reject: false,
      timeout: opts.timeoutMs ?? 120_000,
      cancelSignal: opts.signal,
      // Never wait for a password prompt: a CLI run in CI would hang.
      env: { GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', SSH_ASKPASS: '' },
      stdin: 'ignore',
    });
    if (r.timedOut) return { ok: false, stdout: '', stderr: `fatal: timed out after ${Math.round((opts.timeoutMs ?? 120_000) / 1000)}s` };
    return { ok: r.exitCode === 0, stdout: String(r.stdout), stderr: String(r.stderr) };
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw new EnvironmentError('git is not installed (needed for git sources)', { code: 'git/missing', hint: 'install git, or use a folder or an HTTP source' });
    throw e;
  }
}

/** Clones `url` at `ref` (or `commit`) into the cache; the checkout's folder and commit. */
export async function gitCheckout(opts: GitCheckoutOptions): Promise<GitCheckout> {
  if (!isAllowedGitUrl(opts.url)) {
    throw new DiagnosticError([error(`not a git URL: ${redactUrl(opts.url)}`, undefined, { code: 'git/url', hint: 'use an https://, ssh://, git:// or file:// URL, or user@host:path' })]);
  }
  if (opts.ref !== undefined && !REF.test(opts.ref)) throw new DiagnosticError([error(`not a branch or tag name: ${JSON.stringify(opts.ref)}`, undefined, { code: 'git/ref' })]);
  if (opts.commit !== undefined && !/^[0-9a-f]{40}$/.test(opts.commit)) throw new DiagnosticError([error(`not a commit: ${JSON.stringify(opts.commit)}`, undefined, { code: 'git/ref' })]);
  const key = createHash('sha256').update(`${opts.url}#${opts.ref ?? ''}@${opts.commit ?? ''}`).digest('hex').slice(0, 16);
  const dir = join(opts.cacheDir, key);
  const temp = `${dir}.${process.pid}.tmp`;
  await removeTree(temp);
  await makeDir(opts.cacheDir);
  const run = (args: readonly string[], cwd?: string) => git(args, { cwd, signal: opts.signal, timeoutMs: opts.timeoutMs });
  try {
    if (opts.commit) {
      // One commit: fetch it alone where the server allows (protocol v2 does), else the ref's history.
      await makeDir(temp);
      let r = await run(['init', '--quiet'], temp);
      if (r.ok) r = await run(['fetch', '--quiet', '--depth', '1', '--', opts.url, opts.commit], temp);
      if (!r.ok) r = await run(['fetch', '--quiet', '--', opts.url, ...(opts.ref ? [opts.ref] : [])], temp);
      if (!r.ok) throw gitFailure(opts.url, opts.ref, r.stderr);
      const c = await run(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', opts.commit], temp);
      if (!c.ok) throw new DiagnosticError([error(`git repository ${redactUrl(opts.url)} has no commit ${opts.commit}`, undefined, { code: 'git/no-commit', hint: 'the history was rewritten since the lock file was written; install the source again' })]);
    } else {
      const r = await run(['clone', '--quiet', '--depth', '1', ...(opts.ref ? ['--branch', opts.ref] : []), '--', opts.url, temp]);
      if (!r.ok) throw gitFailure(opts.url, opts.ref, r.stderr);
    }
    const head = await run(['rev-parse', 'HEAD'], temp);
    if (!head.ok) throw gitFailure(opts.url, opts.ref, head.stderr);
    await removeTree(dir);
    await renamePath(temp, dir);
    return { dir, commit: head.stdout.trim() };
  } catch (e) {
    await removeTree(temp);
    throw e;
  }
}
