/**
 * An Application's `take-over` policies (read-policies.ts): their rules
 * reach the AppModel as `takeOver`, for delivery to adopt what they select;
 * malformed rules are errors at their line, since a typo would adopt nothing
 * or too much.
 */
import { describe, expect, it } from 'vitest';
import { parseApplication, resolveAppModel } from '../../../src/appfile/index.js';
import { SourceFile, formatDiagnosticLine } from '../../../src/source/index.js';
import { makeRegistry } from '../registry.js';

const app = (...policy: string[]) =>
  ['apiVersion: core.oam.dev/v1beta1', 'kind: Application', 'metadata: {name: demo}', 'spec:', '  components:', '    - {name: web, type: webservice, properties: {image: a, port: 80}}', '  policies:', ...policy, ''].join('\n');
const resolve = (text: string) => resolveAppModel(parseApplication(new SourceFile('app.yaml', text), { dir: '/app' }), makeRegistry());
const lines = (r: ReturnType<typeof resolve>) => r.diagnostics.map((d) => `${d.severity} ${formatDiagnosticLine(d)}`);

describe('take-over policies', () => {
  it('keep their rules, in order, for delivery', () => {
    const r = resolve(
      app(
        '    - {name: adopt-web, type: take-over, properties: {rules: [{selector: {componentNames: [web], resourceTypes: [Deployment]}}]}}',
        '    - {name: adopt-ns, type: take-over, properties: {rules: [{selector: {resourceTypes: [Namespace], resourceNames: [team]}}]}}',
      ),
    );
    expect(lines(r)).toEqual([]);
    expect(r.app!.takeOver).toEqual([
      { componentNames: ['web'], resourceTypes: ['Deployment'] },
      { resourceTypes: ['Namespace'], resourceNames: ['team'] },
    ]);
  });

  it('are absent from an app without one', () => {
    expect(resolve(app('    - {name: t, type: topology, properties: {namespace: prod}}')).app!.takeOver).toBeUndefined();
  });

  it('report a malformed rule at its line', () => {
    const r = resolve(
      app(
        '    - name: a',
        '      type: take-over',
        '      properties:',
        '        rules:',
        '          - selector: {componentName: [web]}',
        '          - selector: {resourceTypes: []}',
        '          - {}',
        '          - selector: {resourceNames: web}',
      ),
    );
    expect(lines(r)).toEqual([
      'error app.yaml:12:23: spec.policies[0].properties.rules[0].selector: a selector must select by at least one of componentNames, componentTypes, oamTypes, traitTypes, resourceTypes, resourceNames',
      'error app.yaml:12:24: spec.policies[0].properties.rules[0].selector.componentName: unknown key "componentName" in a resource selector',
      'error app.yaml:13:23: spec.policies[0].properties.rules[1].selector: a selector must select by at least one of componentNames, componentTypes, oamTypes, traitTypes, resourceTypes, resourceNames',
      'error app.yaml:14:13: spec.policies[0].properties.rules[2]: missing required key "selector"',
      'error app.yaml:15:23: spec.policies[0].properties.rules[3].selector: a selector must select by at least one of componentNames, componentTypes, oamTypes, traitTypes, resourceTypes, resourceNames',
      'error app.yaml:15:39: spec.policies[0].properties.rules[3].selector.resourceNames: resourceNames must be a list of strings (got "web")',
    ]);
  });
});
