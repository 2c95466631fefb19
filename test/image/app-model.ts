/**
 * Test support: an AppModel for build tests, written as the Appfile text it
 * stands for, so spans (and diagnostics' positions) are real.
 */
import type { AppModel, BuildSpec, JsonObject, ServiceModel } from '../../src/appfile/model.js';
import { SourceFile, span, type Span } from '../../src/source/position.js';

export interface TestService {
  name: string;
  image?: string;
  build?: { context?: string; dockerfile?: string; args?: Record<string, string>; target?: string; pushRegistry?: string };
}

export function testApp(dir: string, services: TestService[], name = 'shop'): AppModel {
  const lines = [`name: ${name}`, 'services:'];
  const spans = new Map<string, { svc: number; image?: number; build?: number }>();
  let text = '';
  const offsetOfNext = () => lines.join('\n').length + 1;
  for (const s of services) {
    const rec: { svc: number; image?: number; build?: number } = { svc: offsetOfNext() + 2 };
    lines.push(`  ${s.name}:`);
    if (s.image !== undefined) {
      rec.image = offsetOfNext() + 4;
      lines.push(`    image: ${JSON.stringify(s.image)}`);
    }
    if (s.build) {
      rec.build = offsetOfNext() + 4;
      lines.push('    build:', '      docker:');
      if (s.build.context) lines.push(`        context: ${JSON.stringify(s.build.context)}`);
      if (s.build.dockerfile) lines.push(`        file: ${JSON.stringify(s.build.dockerfile)}`);
      if (s.build.target) lines.push(`        target: ${s.build.target}`);
      if (s.build.args) lines.push(`        args: ${JSON.stringify(s.build.args)}`);
      if (s.build.pushRegistry) lines.push('      push:', `        registry: ${s.build.pushRegistry}`);
    }
    spans.set(s.name, rec);
  }
  text = lines.join('\n') + '\n';
  const file = new SourceFile('vela.yaml', text);
  const models: ServiceModel[] = services.map((s) => {
    const rec = spans.get(s.name)!;
    const build: BuildSpec | undefined = s.build
      ? {
          span: span(file, rec.build!, rec.build! + 'build'.length),
          dockerfile: s.build.dockerfile ?? 'Dockerfile',
          context: s.build.context ?? '.',
          args: s.build.args ?? {},
          target: s.build.target,
          pushRegistry: s.build.pushRegistry,
        }
      : undefined;
    return {
      name: s.name,
      span: span(file, rec.svc, rec.svc + s.name.length),
      type: 'webservice',
      image: s.image,
      build,
      dependsOn: [],
      params: (s.image ? { image: s.image } : {}) as JsonObject,
      traits: [],
    };
  });
  return {
    file,
    dir,
    name,
    services: models,
    locate(path): Span | undefined {
      const [, svcName, key] = path;
      const rec = typeof svcName === 'string' ? spans.get(svcName) : undefined;
      if (!rec) return undefined;
      if (key === 'image' && rec.image !== undefined) return span(file, rec.image, rec.image + 5);
      if (key === 'build' && rec.build !== undefined) return span(file, rec.build, rec.build + 5);
      return span(file, rec.svc, rec.svc + String(svcName).length);
    },
  };
}
