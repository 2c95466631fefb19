/**
 * The strategy annotations of a trait's `patch`, read from the comments on its
 * fields: a tag applies to its own field, a whole-document strategy above a
 * shorthand chain to the field the chain starts at, and tags inside an open
 * list's element type go with `each`.
 */
import { describe, expect, it } from 'vitest';
import { compile, evaluate } from '../../src/cue/index.js';
import { mayHavePatchMeta, patchMetaOf } from '../../src/capability/index.js';

function metaOf(text: string) {
  const r = evaluate(compile([{ name: 'patch.cue', text }]));
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return patchMetaOf(r.root.lookup('patch')!);
}

describe('patchMetaOf', () => {
  it('gives nothing for a patch without annotations', () => {
    expect(metaOf('patch: spec: replicas: 2')).toBeUndefined();
  });

  it('puts a tag on its own field, and a whole-document strategy above a chain where the chain starts', () => {
    const meta = metaOf(`patch: {
	// +patchStrategy=jsonMergePatch
	metadata: labels: a: "b"
	spec: {
		// +patchKey=name
		containers: [{name: "x"}, ...]
		// +patchStrategy=retainKeys
		strategy: type: "Recreate"
	}
}`);
    expect(meta).toEqual({
      fields: {
        metadata: { strategy: 'jsonMergePatch' },
        spec: { fields: { containers: { patchKey: 'name', open: true }, strategy: { fields: { type: { strategy: 'retainKeys' } } } } },
      },
    });
  });

  it('joins the tags of one field, and reads those of list items and of an open list element type', () => {
    const meta = metaOf(`patch: {
	// +patchKey=name
	// +patchStrategy=replace
	a: [{name: "q"}]
	containers: [...{
		// +patchKey=name
		env: [{name: "X", value: "1"}]
	}]
	lists: [{b: 1}, {
		// +patchKey=k
		c: [{k: 1}]
	}]
}`);
    expect(meta).toEqual({
      fields: {
        a: { patchKey: 'name', strategy: 'replace' },
        containers: { open: true, each: { value: { env: [{ name: 'X', value: '1' }] }, meta: { fields: { env: { patchKey: 'name' } } } } },
        lists: { items: [{}, { fields: { c: { patchKey: 'k' } } }] },
      },
    });
  });

  it('is skipped only for programs whose patches cannot carry annotations', () => {
    const may = (text: string) => mayHavePatchMeta(compile([{ name: 'patch.cue', text }]));
    // Nothing to find: no tag comment, no open list, no package.
    expect(may('parameter: replicas: *1 | int\npatch: spec: replicas: parameter.replicas')).toBe(false);
    expect(metaOf('parameter: replicas: *1 | int\npatch: spec: replicas: parameter.replicas')).toBeUndefined();
    // Each of these can make an annotation, so the patch is walked.
    expect(may('patch: spec: {\n\t// +patchKey=name\n\tcontainers: [{name: "x"}]\n}')).toBe(true);
    expect(may('patch: spec: containers: [...{lifecycle: {}}]')).toBe(true);
    expect(may('import "strings"\npatch: metadata: name: strings.ToLower("X")')).toBe(true);
    expect(metaOf('patch: spec: containers: [...{lifecycle: {}}]')).toMatchObject({ fields: { spec: { fields: { containers: { open: true } } } } });
  });
});
