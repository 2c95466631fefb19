/**
 * The names the renderer accepts before anything reaches the API server:
 * DNS subdomains for most kinds, any path segment for RBAC objects (KubeVela's
 * service-account trait names its ClusterRole "<namespace>:<account>").
 */
import { describe, expect, it } from 'vitest';
import { objectProblems } from '../../src/render/manifest.js';

const named = (kind: string, name: string) => ({ apiVersion: 'v1', kind, metadata: { name } });

describe('object names', () => {
  it.each(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'])('%s may contain ":" and upper case', (kind) => {
    expect(objectProblems(named(kind, 'default:frontend-sa'))).toEqual([]);
    expect(objectProblems(named(kind, 'system:Aggregate'))).toEqual([]);
  });

  it('an RBAC name may not contain "/" or "%" or be "." or ".."', () => {
    for (const name of ['a/b', 'a%b', '.', '..']) {
      expect(objectProblems(named('ClusterRole', name))).toEqual([`metadata.name: ${JSON.stringify(name)} is not a valid name (no '/' or '%', not '.' or '..')`]);
    }
  });

  it('other kinds still need a DNS name', () => {
    expect(objectProblems(named('ServiceAccount', 'default:frontend-sa'))).toEqual([
      `metadata.name: "default:frontend-sa" is not a valid Kubernetes name (lower case letters, digits, '-' and '.')`,
    ]);
  });
});
