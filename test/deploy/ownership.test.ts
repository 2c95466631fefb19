/** Whose a live object is (ownership.ts), and what leaving the app does to it. */
import { describe, expect, it } from 'vitest';
import { leaveVerdict, parseRecord, recordText, standingOf, type Provenance } from '../../src/deploy/ownership.js';
import type { KubeObject } from '../../src/deploy/index.js';

const ID = 'applyset-ours-v1';
const live = (kind: string, opts: { label?: string; managers?: string[] } = {}): KubeObject => ({
  apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
  kind,
  metadata: {
    name: 'x',
    ...(opts.label ? { labels: { 'applyset.kubernetes.io/part-of': opts.label } } : {}),
    managedFields: (opts.managers ?? ['vela']).map((manager) => ({ manager, operation: manager === 'vela' ? 'Apply' : 'Update' })),
  },
});
const record = (entries: Array<[string, Provenance]>) => new Map(entries);

describe('standingOf', () => {
  it('another applyset\'s object belongs to that app, whatever the record says', () => {
    expect(standingOf(live('Deployment', { label: 'applyset-other-v1' }), { id: ID, record: record([['k', 'created']]) }, 'k')).toEqual({ kind: 'elsewhere', applySet: 'applyset-other-v1' });
  });

  it('an unlabelled object is foreign, with its managers, even when vela manages fields of it', () => {
    expect(standingOf(live('Deployment', { managers: ['kubectl-create', 'vela'] }), { id: ID, record: undefined }, 'k')).toEqual({ kind: 'foreign', managers: ['kubectl-create', 'vela'] });
    expect(standingOf(live('Deployment', { managers: ['vela'] }), { id: ID, record: record([['k', 'created']]) }, 'k')).toMatchObject({ kind: 'foreign' });
  });

  it('a labelled member is ours as the record says; not in a record that exists: foreign', () => {
    const inv = { id: ID, record: record([['k', 'adopted']]) };
    expect(standingOf(live('Deployment', { label: ID, managers: ['kubectl'] }), inv, 'k')).toEqual({ kind: 'ours', provenance: 'adopted' });
    expect(standingOf(live('Deployment', { label: ID }), inv, 'other')).toMatchObject({ kind: 'foreign' });
  });

  it('without a record (an older parent): labelled members are ours, a Namespace only when vela alone wrote it', () => {
    const inv = { id: ID, record: undefined };
    expect(standingOf(live('Deployment', { label: ID, managers: ['vela', 'kube-controller-manager'] }), inv, 'k')).toEqual({ kind: 'ours', provenance: 'created' });
    expect(standingOf(live('Namespace', { label: ID, managers: ['vela'] }), inv, 'k')).toEqual({ kind: 'ours', provenance: 'created' });
    expect(standingOf(live('Namespace', { label: ID, managers: ['kubectl-create', 'vela'] }), inv, 'k')).toMatchObject({ kind: 'foreign' });
  });
});

describe('leaveVerdict', () => {
  it('deletes what vela created or adopted, but never a Namespace it did not create', () => {
    const inv = { id: ID, record: record([['created', 'created'], ['adopted', 'adopted']]) };
    expect(leaveVerdict(live('Deployment', { label: ID }), inv, 'created')).toBe('delete');
    expect(leaveVerdict(live('Deployment', { label: ID }), inv, 'adopted')).toBe('delete');
    expect(leaveVerdict(live('Namespace', { label: ID }), inv, 'created')).toBe('delete');
    expect(leaveVerdict(live('Namespace', { label: ID }), inv, 'adopted')).toBe('release');
    expect(leaveVerdict(live('Deployment', { label: ID }), inv, 'unrecorded')).toBe('release');
  });
});

describe('the record in the parent', () => {
  it('round-trips, sorted, so the same record gives the same bytes', () => {
    const text = recordText(record([['b', 'created'], ['a', 'adopted'], ['c', 'created']]));
    expect(text).toBe('{"created":["b","c"],"adopted":["a"]}');
    expect(recordText(parseRecord({ data: { 'objects.json': text } })!)).toBe(text);
  });

  it('is absent when the parent holds none or an unreadable one', () => {
    expect(parseRecord(undefined)).toBeUndefined();
    expect(parseRecord({ data: { 'app.json': '{}' } })).toBeUndefined();
    expect(parseRecord({ data: { 'objects.json': '{oops' } })).toBeUndefined();
  });
});
