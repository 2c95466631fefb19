/**
 * The exact size of the tar stream `context-tar.ts` writes for a list of
 * entries, computed without writing it: a 512-byte header per entry (plus a PAX
 * header when a name does not fit USTAR), contents padded to 512 bytes, and the
 * two zero blocks that end the archive. Mirrors tar-stream's encoder.
 */
import type { ContextEntry } from './types.js';

const BLOCK = 512;
const pad = (n: number) => Math.ceil(n / BLOCK) * BLOCK;

function fitsUstar(name: string, linkname: string | undefined): boolean {
  if (Buffer.byteLength(name) !== name.length) return false; // non-ASCII needs PAX
  let rest = name;
  let prefix = '';
  while (rest.length > 100) {
    const i = rest.indexOf('/');
    if (i === -1) return false;
    prefix += prefix ? '/' + rest.slice(0, i) : rest.slice(0, i);
    rest = rest.slice(i + 1);
  }
  if (rest.length > 100 || prefix.length > 155) return false;
  return !(linkname && Buffer.byteLength(linkname) > 100);
}

/** A PAX record is `<len> key=value\n` where `<len>` counts itself. */
function paxRecordLength(body: string): number {
  const len = Buffer.byteLength(body);
  let digits = String(len).length;
  if (len + digits >= 10 ** digits) digits++;
  return len + digits;
}

/** The name an entry has in the tar (folders end with `/`, as docker writes them). */
export function tarName(e: Pick<ContextEntry, 'path' | 'type'>): string {
  return e.type === 'directory' ? `${e.path}/` : e.path;
}

export function entryTarSize(e: ContextEntry): number {
  const name = tarName(e);
  let n = BLOCK;
  if (!fitsUstar(name, e.linkname)) {
    let pax = paxRecordLength(` path=${name}\n`);
    if (e.linkname) pax += paxRecordLength(` linkpath=${e.linkname}\n`);
    n += BLOCK + pad(pax);
  }
  return n + (e.type === 'file' ? pad(e.size) : 0);
}

export function tarSize(entries: readonly ContextEntry[]): number {
  let n = 2 * BLOCK;
  for (const e of entries) n += entryTarSize(e);
  return n;
}
