/**
 * CUE definition files ↔ KubeVela's definition objects (core.oam.dev/v1beta1):
 * the conversion `vela def apply` does, and back for `vela def get` and
 * `sync --from-cluster`.
 */
import { describe, expect, it } from 'vitest';
import { cueDefinitionObject, definitionObjectToCue, readCueDefinition } from '../../src/pipeline/definitions-object.js';
import { SourceFile } from '../../src/source/index.js';

const SIDECAR = `import (
	"strings"
)

"log-sidecar": {
	type:        "trait"
	alias:       "logs"
	description: "Ships logs"
	labels: {"ui-hidden": "true"}
	annotations: {"definition.oam.dev/owner": "platform"}
	attributes: {
		appliesToWorkloads: ["deployments.apps", "webservice"]
		podDisruptive:      true
	}
}
template: {
	patch: spec: template: spec: containers: [...{
		env: [{name: "LEVEL", value: strings.ToUpper(parameter.level)}]
	}]
	parameter: {
		// +usage=The log level
		level: *"info" | string
	}
}
`;

describe('definitions as cluster objects', () => {
  it('a CUE definition becomes the object KubeVela stores', () => {
    const r = readCueDefinition(new SourceFile('log-sidecar.cue', SIDECAR));
    expect(r.diagnostics).toEqual([]);
    const o = cueDefinitionObject(r.parts!, 'vela-system');
    expect(o.kind).toBe('TraitDefinition');
    expect(o.metadata).toEqual({
      name: 'log-sidecar',
      namespace: 'vela-system',
      annotations: { 'definition.oam.dev/owner': 'platform', 'definition.oam.dev/description': 'Ships logs', 'definition.oam.dev/alias': 'logs' },
      labels: { 'custom.definition.oam.dev/ui-hidden': 'true' },
    });
    const spec = o.spec as { appliesToWorkloads: string[]; podDisruptive: boolean; schematic: { cue: { template: string } } };
    expect(spec.appliesToWorkloads).toEqual(['deployments.apps', 'webservice']);
    expect(spec.podDisruptive).toBe(true);
    // The imports on top, the body dedented, comments kept.
    expect(spec.schematic.cue.template).toBe(`import (\n\t"strings"\n)\n\npatch: spec: template: spec: containers: [...{\n\tenv: [{name: "LEVEL", value: strings.ToUpper(parameter.level)}]\n}]\nparameter: {\n\t// +usage=The log level\n\tlevel: *"info" | string\n}\n`);
  });

  it('and back: the CUE file gives the same object again', () => {
    const first = cueDefinitionObject(readCueDefinition(new SourceFile('a.cue', SIDECAR)).parts!, 'ns1');
    const text = definitionObjectToCue(first);
    expect(text).toMatch(/^import \(\n\t"strings"\n\)\n\n"log-sidecar": \{\n\ttype: "trait"\n\talias: "logs"/);
    const again = readCueDefinition(new SourceFile('b.cue', text));
    expect(again.diagnostics).toEqual([]);
    expect(cueDefinitionObject(again.parts!, 'ns1')).toEqual(first);
  });

  it('a header without a known type, or without a template, is an error at its place', () => {
    const noType = readCueDefinition(new SourceFile('x.cue', 'x: {\n\ttype: "gadget"\n}\ntemplate: {}\n'));
    expect(noType.diagnostics[0]!.message).toContain('type must be one of "component", "trait", "policy", "workflow-step" (got "gadget")');
    const noTemplate = readCueDefinition(new SourceFile('y.cue', 'y: {\n\ttype: "trait"\n}\n'));
    expect(noTemplate.diagnostics[0]!.message).toContain('no `template: {...}` block');
  });
});
