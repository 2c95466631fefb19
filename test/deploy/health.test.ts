import { describe, expect, it } from 'vitest';
import { builtinHealth, podProblem } from '../../src/deploy/index.js';
import { podSelector } from '../../src/deploy/health.js';

const deployment = (spec: object, status: object, generation = 1) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation }, spec, status });

describe('built-in health', () => {
  it('follows a Deployment rollout: observed generation, updated, old and available replicas', () => {
    expect(builtinHealth(deployment({ replicas: 2 }, {}))).toEqual({ healthy: false, reason: expect.stringContaining('has not observed generation 1') });
    expect(builtinHealth(deployment({ replicas: 2 }, { observedGeneration: 1, updatedReplicas: 1, replicas: 2 }))?.reason).toBe('1 of 2 replicas updated');
    expect(builtinHealth(deployment({ replicas: 2 }, { observedGeneration: 1, updatedReplicas: 2, replicas: 3 }))?.reason).toBe('1 old replicas are pending termination');
    expect(builtinHealth(deployment({ replicas: 2 }, { observedGeneration: 1, updatedReplicas: 2, replicas: 2, availableReplicas: 1 }))?.reason).toBe('1 of 2 replicas available');
    expect(builtinHealth(deployment({ replicas: 2 }, { observedGeneration: 1, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }))).toEqual({ healthy: true, reason: '2/2 replicas available' });
    expect(builtinHealth(deployment({}, { observedGeneration: 1, conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded', message: 'timed out' }] }))?.reason).toBe('rollout exceeded its progress deadline: timed out');
  });

  it('judges StatefulSets, DaemonSets, Jobs and kinds without a rollout', () => {
    expect(builtinHealth({ kind: 'StatefulSet', metadata: { generation: 2 }, spec: { replicas: 3 }, status: { observedGeneration: 2, readyReplicas: 2 } })?.reason).toBe('2 of 3 replicas ready');
    expect(builtinHealth({ kind: 'DaemonSet', metadata: { generation: 1 }, status: { observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberReady: 2 } })?.healthy).toBe(true);
    expect(builtinHealth({ kind: 'Job', status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] } })).toEqual({ healthy: false, reason: 'job failed: BackoffLimitExceeded' });
    expect(builtinHealth({ kind: 'Job', status: { conditions: [{ type: 'Complete', status: 'True' }] } })?.healthy).toBe(true);
    expect(builtinHealth({ kind: 'ConfigMap' })).toBeUndefined();
  });
});

describe('pod problems', () => {
  const pod = (status: object, spec: object = {}) => ({ kind: 'Pod', metadata: { name: 'web-1' }, spec, status });
  it('names image pull errors, crash loops, scheduling failures and unready containers', () => {
    expect(podProblem(pod({ phase: 'Pending', containerStatuses: [{ name: 'web', image: 'nginx:nope', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:nope"' } } }] }))).toBe(
      'pod web-1: image pull error for container web (image nginx:nope): ImagePullBackOff: Back-off pulling image "nginx:nope"',
    );
    expect(podProblem(pod({ phase: 'Running', containerStatuses: [{ name: 'web', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }] }))).toBe(
      'pod web-1: crash loop: container web restarted 4 times (last exit code 1, Error)',
    );
    expect(podProblem(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', message: '0/3 nodes are available: 3 Insufficient cpu.' }] }))).toBe('pod web-1 is Pending: cannot be scheduled: 0/3 nodes are available: 3 Insufficient cpu.');
    expect(podProblem(pod({ phase: 'Pending' }))).toBe('pod web-1 is Pending: not scheduled to any node yet (is a scheduler running?)');
    expect(podProblem(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'web', ready: false, state: { running: {} } }] }))).toBe('pod web-1 is not ready (containers web)');
    expect(podProblem(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }))).toBeUndefined();
  });

  it('builds the pod selector of a workload', () => {
    expect(podSelector({ kind: 'Deployment', spec: { selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] } } })).toBe('app=web,tier in (a,b)');
  });
});
