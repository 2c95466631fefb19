/**
 * A vitest reporter that lists every skipped test at the end of a run, with
 * its full name. Suites skipped for a missing daemon or tool carry the reason
 * in their title ("(skipped: no Docker engine answers at …)"), so a run
 * without daemons says why each test did not run, not only how many.
 */
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export default class SkipReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const lines: string[] = [];
    for (const m of modules) {
      for (const t of m.children.allTests('skipped')) lines.push(`  ${relative(process.cwd(), m.moduleId)} > ${t.fullName}`);
    }
    if (!lines.length) return;
    process.stdout.write(`\n${lines.length} skipped test${lines.length === 1 ? '' : 's'}, and why:\n${lines.join('\n')}\n`);
  }
}
