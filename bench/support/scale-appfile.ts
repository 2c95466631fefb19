/**
 * The generated Appfile of bench/cli-scale (also read by the YAML reader's
 * tests): `n` webservices of one shape, with env, a scaler, labels and
 * annotations, each with its own names and values.
 */
import { stringify } from 'yaml';

/** An Appfile of `n` services of the same shape, each with its own names and values. */
export function scaleAppfile(n: number): string {
  const services: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    services[`svc-${i}`] = {
      type: 'webservice',
      image: `registry.example.com/team/svc-${i}:1.0.${i}`,
      ports: [{ port: 8080, expose: true }],
      env: [
        { name: 'SERVICE_INDEX', value: String(i) },
        { name: 'LOG_LEVEL', value: 'info' },
      ],
      scaler: { replicas: 1 + (i % 3) },
      labels: { team: `team-${i % 7}`, tier: 'backend' },
      annotations: { 'example.com/owner': `owner-${i % 11}@example.com` },
    };
  }
  return stringify({ name: 'scale', services });
}
