/**
 * Compose `ports` and `expose` entries → container ports.
 * Short syntax: `[HOST_IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTOCOL]`
 * (an IPv6 host address in brackets); long syntax: `{target, published,
 * host_ip, protocol, mode, name, app_protocol}`. A range becomes one port per
 * number. The host side has no Kubernetes meaning: the Service listens on the
 * container port, so `http://web:80` keeps working between services.
 */
import { error, warning, type Diagnostic, type Span } from '../../source/index.js';
import { describe, type LNode } from '../yaml-tree.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ContainerPort {
  readonly port: number;
  readonly protocol: Protocol;
  readonly name?: string;
  /** Where it was written (the list item). */
  readonly span: Span;
}

/** Ranges larger than this are refused: each port becomes a Service port. */
const maxRange = 100;

export function readPort(n: LNode, diags: Diagnostic[], what: 'ports' | 'expose'): ContainerPort[] {
  if (n.kind === 'scalar' && typeof n.value === 'number') return checkNumber(n.value, n.span, diags) ? [{ port: n.value, protocol: 'TCP', span: n.span }] : [];
  if (n.kind === 'scalar' && typeof n.value === 'string') return what === 'ports' ? readShort(n.value, n.span, diags) : readExpose(n.value, n.span, diags);
  if (n.kind === 'map' && what === 'ports') return readLong(n, diags);
  diags.push(
    error(`invalid ${what} entry (got ${describe(n)})`, n.span, {
      code: 'compose/port',
      hint: what === 'ports' ? 'write "HOST:CONTAINER" (e.g. "8080:80"), "80", or {target: 80, published: 8080}' : 'write a container port, e.g. "3000" or "3000/udp"',
    }),
  );
  return [];
}

const shortPattern = /^(?:(?:\[([0-9a-fA-F:.]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):)?(?:(\d*)(?:-(\d+))?:)?(\d+)(?:-(\d+))?(?:\/([a-zA-Z]+))?$/;

function readShort(text: string, at: Span, diags: Diagnostic[]): ContainerPort[] {
  const m = shortPattern.exec(text.trim());
  const bad = (why: string, hint?: string) => {
    diags.push(error(`invalid port mapping "${text}": ${why}`, at, { code: 'compose/port', hint: hint ?? 'write "HOST:CONTAINER" (e.g. "8080:80"), "CONTAINER" (e.g. "80"), or "127.0.0.1:8080:80/udp"' }));
    return [];
  };
  if (!m) return bad('not [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]');
  const hostIp = m[1] ?? m[2];
  const hostStart = m[3] ? Number(m[3]) : undefined;
  const hostEnd = m[4] ? Number(m[4]) : undefined;
  const start = Number(m[5]);
  const end = m[6] ? Number(m[6]) : start;
  const protocol = readProtocol(m[7], at, diags, text);
  if (!protocol) return [];
  for (const p of [hostStart, hostEnd, start, end]) {
    if (p !== undefined && (p < 1 || p > 65535)) return bad(`${p} is not a port number (1-65535)`);
  }
  if (end < start) return bad(`the range ${start}-${end} runs backwards`);
  if (end - start >= maxRange) return bad(`the range ${start}-${end} has more than ${maxRange} ports`, 'list the ports the service really uses');
  if (hostStart !== undefined && hostEnd !== undefined && hostEnd - hostStart !== end - start) {
    return bad(`the host range ${hostStart}-${hostEnd} and the container range ${start}-${end} differ in length`);
  }
  if (hostIp !== undefined && hostIp !== '0.0.0.0' && hostIp !== '::') {
    diags.push(
      warning(`the host address ${hostIp} has no Kubernetes meaning: the port is reachable by every pod of the cluster through the Service`, at, {
        code: 'compose/ignored',
      }),
    );
  }
  const out: ContainerPort[] = [];
  for (let p = start; p <= end; p++) out.push({ port: p, protocol, span: at });
  return out;
}

function readExpose(text: string, at: Span, diags: Diagnostic[]): ContainerPort[] {
  const m = /^(\d+)(?:-(\d+))?(?:\/([a-zA-Z]+))?$/.exec(text.trim());
  if (!m) {
    diags.push(error(`invalid expose entry "${text}"`, at, { code: 'compose/port', hint: 'write a container port or range, e.g. "3000", "8000-8010" or "3000/udp"' }));
    return [];
  }
  const start = Number(m[1]);
  const end = m[2] ? Number(m[2]) : start;
  const protocol = readProtocol(m[3], at, diags, text);
  if (!protocol) return [];
  if (!checkNumber(start, at, diags) || !checkNumber(end, at, diags)) return [];
  if (end < start || end - start >= maxRange) {
    diags.push(error(`invalid port range "${text}"`, at, { code: 'compose/port', hint: `a range runs upwards and has at most ${maxRange} ports` }));
    return [];
  }
  const out: ContainerPort[] = [];
  for (let p = start; p <= end; p++) out.push({ port: p, protocol, span: at });
  return out;
}

const longKeys = ['target', 'published', 'host_ip', 'protocol', 'mode', 'name', 'app_protocol'];

function readLong(n: LNode & { kind: 'map' }, diags: Diagnostic[]): ContainerPort[] {
  let port: number | undefined;
  let protocol: Protocol = 'TCP';
  let name: string | undefined;
  let ok = true;
  for (const e of n.entries) {
    const v = e.value;
    switch (e.key) {
      case 'target': {
        const num = v.kind === 'scalar' ? (typeof v.value === 'number' ? v.value : typeof v.value === 'string' && /^\d+$/.test(v.value) ? Number(v.value) : NaN) : NaN;
        if (!Number.isInteger(num) || num < 1 || num > 65535) {
          diags.push(error(`invalid port mapping: target must be a port number (got ${describe(v)})`, v.span, { code: 'compose/port' }));
          ok = false;
        } else port = num;
        break;
      }
      case 'protocol': {
        const p = v.kind === 'scalar' && typeof v.value === 'string' ? readProtocol(v.value, v.span, diags, v.value) : undefined;
        if (!p) ok = false;
        else protocol = p;
        break;
      }
      case 'name':
        if (v.kind === 'scalar' && typeof v.value === 'string') name = v.value;
        break;
      case 'published':
      case 'mode':
      case 'app_protocol':
        break;
      case 'host_ip':
        if (v.kind === 'scalar' && v.value !== '0.0.0.0' && v.value !== '::') {
          diags.push(warning(`host_ip has no Kubernetes meaning: the port is reachable by every pod of the cluster through the Service`, e.keySpan, { code: 'compose/ignored' }));
        }
        break;
      default:
        diags.push(error(`unknown key "${e.key}" in a port`, e.keySpan, { code: 'compose/port', hint: `a port has ${longKeys.join(', ')}` }));
        ok = false;
    }
  }
  if (port === undefined) {
    if (ok) diags.push(error('invalid port mapping: missing "target" (the container port)', n.span, { code: 'compose/port', hint: 'for example {target: 80, published: 8080}' }));
    return [];
  }
  return ok ? [{ port, protocol, ...(name ? { name } : {}), span: n.span }] : [];
}

function readProtocol(p: string | undefined, at: Span, diags: Diagnostic[], text: string): Protocol | undefined {
  if (p === undefined) return 'TCP';
  const up = p.toUpperCase();
  if (up === 'TCP' || up === 'UDP' || up === 'SCTP') return up;
  diags.push(error(`invalid port mapping "${text}": unknown protocol "${p}"`, at, { code: 'compose/port', hint: 'the protocols are tcp, udp and sctp' }));
  return undefined;
}

function checkNumber(p: number, at: Span, diags: Diagnostic[]): boolean {
  if (Number.isInteger(p) && p >= 1 && p <= 65535) return true;
  diags.push(error(`invalid port ${p}: a port number is 1-65535`, at, { code: 'compose/port' }));
  return false;
}
