/**
 * The Docker engine answers builds and pushes with a stream of JSON messages,
 * one per line. A chunk may end mid-message, so lines are reassembled first.
 */
import type { Readable } from 'node:stream';

export interface EngineMessage {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { code?: number; message?: string };
  aux?: { ID?: string; Tag?: string; Digest?: string; Size?: number };
}

export async function* engineMessages(stream: Readable): AsyncGenerator<EngineMessage> {
  let buf = '';
  for await (const chunk of stream) {
    buf += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line !== '') yield parseLine(line);
    }
  }
  if (buf.trim() !== '') yield parseLine(buf.trim());
}

function parseLine(line: string): EngineMessage {
  try {
    const v = JSON.parse(line) as unknown;
    return v && typeof v === 'object' ? (v as EngineMessage) : { stream: line + '\n' };
  } catch {
    // Not JSON (a proxy's error page?): keep it as output rather than lose it.
    return { stream: line + '\n' };
  }
}
