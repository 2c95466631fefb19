/**
 * Compose's duration and byte-size values → what Kubernetes wants
 * (whole seconds for probes; binary quantities for memory).
 */

/** `1m30s`, `10s`, `500ms`, `1h`, `2us` (Go durations, as compose reads them) → seconds; undefined when invalid. */
export function durationSeconds(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const s = text.trim();
  if (s === '0') return 0;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, 'µs': 1e-6, ns: 1e-9 };
  const re = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * unit[m[2]!]!;
    pos = re.lastIndex;
  }
  return pos === s.length && pos > 0 ? total : undefined;
}

/** Probe seconds: Kubernetes counts whole seconds, at least `min`. */
export function probeSeconds(seconds: number, min: number): number {
  return Math.max(min, Math.ceil(seconds - 1e-9));
}

/**
 * `512m`, `1g`, `1gb`, `2.5G`, `1024k`, `100b`, or a number of bytes → a
 * Kubernetes quantity. Docker's units are binary (m = MiB), so `512m` → `512Mi`.
 */
export function memoryQuantity(v: string | number): string | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v > 0 ? String(v) : undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)b?$/i.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const u = m[2]!.toLowerCase();
  if (!(n > 0)) return undefined;
  if (u === '' || u === 'b') return Number.isInteger(n) ? String(n) : undefined;
  const units = ['k', 'm', 'g', 't'];
  const suffix = ['Ki', 'Mi', 'Gi', 'Ti'];
  let i = units.indexOf(u);
  let value = n;
  // 1.5g → 1536Mi: step down until the number is whole.
  while (!Number.isInteger(value) && i > 0) {
    value *= 1024;
    i--;
  }
  if (!Number.isInteger(value)) value = Math.ceil(value);
  return `${value}${suffix[i]}`;
}

/** `0.5`, `"1.5"`, `2` (docker `cpus`) → a Kubernetes CPU quantity ("500m", "1.5", "2"). */
export function cpuQuantity(v: string | number): string | undefined {
  const n = typeof v === 'number' ? v : /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : NaN;
  if (!(n > 0)) return undefined;
  if (Number.isInteger(n)) return String(n);
  const milli = Math.round(n * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}
