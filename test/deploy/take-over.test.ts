/** Which foreign objects a take-over policy (or --take-over) lets vela adopt: KubeVela's selector semantics. */
import { describe, expect, it } from 'vitest';
import { mayTakeOver, selects } from '../../src/deploy/take-over.js';
import type { Manifest } from '../../src/render/types.js';

const deployment: Manifest = { object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }, origin: { service: 'web', definition: 'webservice' } };
const service: Manifest = { object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } }, origin: { service: 'web', definition: 'webservice', trait: 'expose', outputName: 'service' } };
const namespace: Manifest = { object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }, origin: { service: 'infra', definition: 'k8s-objects', outputName: 'objects-1' } };

describe('take-over selectors', () => {
  it('need every condition given to hold', () => {
    expect(selects({ componentNames: ['web'], resourceTypes: ['Deployment'] }, deployment)).toBe(true);
    expect(selects({ componentNames: ['web'], resourceTypes: ['Deployment'] }, service)).toBe(false);
    expect(selects({ resourceTypes: ['Namespace'], resourceNames: ['team'] }, namespace)).toBe(true);
    expect(selects({ resourceTypes: ['Namespace'], resourceNames: ['other'] }, namespace)).toBe(false);
  });

  it('tell components from traits by oamTypes and traitTypes', () => {
    expect(selects({ oamTypes: ['TRAIT'] }, service)).toBe(true);
    expect(selects({ oamTypes: ['TRAIT'] }, deployment)).toBe(false);
    expect(selects({ oamTypes: ['WORKLOAD'] }, deployment)).toBe(true);
    expect(selects({ oamTypes: ['COMPONENT'] }, deployment)).toBe(true);
    expect(selects({ traitTypes: ['expose'] }, service)).toBe(true);
    expect(selects({ traitTypes: ['expose'] }, deployment)).toBe(false);
    expect(selects({ componentTypes: ['k8s-objects'] }, namespace)).toBe(true);
  });

  it('select nothing when no condition is given', () => {
    expect(selects({}, deployment)).toBe(false);
    expect(selects({ componentNames: [] }, deployment)).toBe(false);
  });

  it('--take-over adopts anything; rules adopt what one of them selects; nothing adopts nothing', () => {
    expect(mayTakeOver({ all: true }, namespace)).toBe(true);
    expect(mayTakeOver({ rules: [{ resourceNames: ['x'] }, { componentNames: ['infra'] }] }, namespace)).toBe(true);
    expect(mayTakeOver({ rules: [{ resourceNames: ['x'] }] }, namespace)).toBe(false);
    expect(mayTakeOver(undefined, namespace)).toBe(false);
  });
});
