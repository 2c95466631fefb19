/** The one line `vela dev` prints per cycle of an app delivered to several clusters: what each cluster got. */
import { describe, expect, it } from 'vitest';
import { createDevFormatter } from '../../src/cli/index.js';

const summary = (s: Partial<Record<'created' | 'updated' | 'unchanged' | 'adopted' | 'pruned' | 'released', number>>) => ({ created: 0, updated: 0, unchanged: 0, adopted: 0, pruned: 0, released: 0, ...s });

describe('dev cycle line with clusters', () => {
  it('names each cluster and what changed there', () => {
    const out = createDevFormatter({ color: false, cwd: '/w' }).format({
      kind: 'delivered',
      cycle: 2,
      trigger: ['/w/vela.yaml'],
      rebuilt: [],
      built: [],
      changes: { summary: summary({ updated: 1, unchanged: 3 }), objects: [], clusters: [{ cluster: 'local', ok: true, summary: summary({ updated: 1, unchanged: 1 }) }, { cluster: 'staging', ok: true, summary: summary({ unchanged: 2 }) }] },
      warnings: [],
      ms: 1200,
      target: 'local/shop, staging/shop',
    });
    expect(out?.text).toBe('✓ cycle 2 (vela.yaml changed): local: 1 updated (1 unchanged); staging: nothing changed (2 unchanged) [1.2s]\n');
  });
});
