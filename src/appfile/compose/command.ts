/**
 * `entrypoint` → `cmd` and `command` → `args`, as Kubernetes has it: a
 * container's command replaces the image's ENTRYPOINT, its args the CMD.
 * Either is a list, or a string split as a shell would.
 */
import { describe, type LNode } from '../yaml-tree.js';
import type { ServiceConversion } from './conversion.js';

export function convertEntrypoint(c: ServiceConversion): void {
  convertWords(c, 'entrypoint', 'cmd');
}

export function convertCommand(c: ServiceConversion): void {
  convertWords(c, 'command', 'args');
}

function convertWords(c: ServiceConversion, key: string, param: string): void {
  const e = c.get(key);
  if (!e) return;
  const words = readWords(e.value, key, c);
  if (words) c.param(param, words, [...c.base, key], e.keySpan);
}

function readWords(n: LNode, key: string, c: ServiceConversion): string[] | undefined {
  if (n.kind === 'seq') {
    const out: string[] = [];
    for (const it of n.items) {
      if (it.kind === 'scalar' && it.value !== null && typeof it.value !== 'object') out.push(String(it.value));
      else {
        c.error(`${key} items must be strings (got ${describe(it)})`, it.span, 'compose/shape', undefined, key);
        return undefined;
      }
    }
    return out;
  }
  if (n.kind === 'scalar' && n.value === null) return undefined;
  if (n.kind === 'scalar') {
    const words = shellSplit(String(n.value));
    if (words === undefined) {
      c.error(`${key} has an unterminated quote`, n.span, 'compose/shape', 'write it as a list, e.g. ["sh", "-c", "..."]', key);
      return undefined;
    }
    return words;
  }
  c.error(`${key} must be a string or a list (got ${describe(n)})`, n.span, 'compose/shape', undefined, key);
  return undefined;
}

/** Words as a POSIX shell splits them: quotes and backslashes; no expansion. Undefined for an unterminated quote. */
export function shellSplit(s: string): string[] | undefined {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < s.length && '"\\$`'.includes(s[i + 1]!)) cur += s[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (ch === '\\' && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else if (/\s/.test(ch)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (quote) return undefined;
  if (has) out.push(cur);
  return out;
}
