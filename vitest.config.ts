import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests that start processes: the built CLI or bin/dev.js as a subprocess,
 * shells, kubectl, openssl (the fake API server's certificate), or that need
 * the Docker engine or the cluster running. They form the `slow` project
 * (`npm run test:slow`); everything else is `fast` (`npm run test:fast`, the
 * inner loop). `npm test` runs both. test/test-projects.test.ts fails when a
 * test that starts a process is missing here.
 */
export const SLOW_TESTS = [
  // Docker engine and registry, the kube-apiserver.
  'test/**/*.e2e.test.ts',
  // The CLI as a subprocess: the built bin/vela.js, bin/dev.js, and bin/dev.js through bash, zsh and fish.
  'test/cli/bin.test.ts',
  'test/cli/e2e.test.ts',
  'test/cli/completion.test.ts',
  // bin/dev.js with a module hook that records what it imports.
  'test/cli/lazy-modules.test.ts',
  // bin/dev.js in a pseudo-terminal (util-linux script).
  'test/cli/init-terminal.test.ts',
  // vela dev through a pseudo-terminal (util-linux script).
  'test/cli/dev-terminal.test.ts',
  // kubectl against the fake API server.
  'test/deploy/fake-apiserver.test.ts',
  // The fake API server, whose TLS certificate openssl makes.
  'test/deploy/faults.test.ts',
  'test/deploy/day2.test.ts',
  'test/deploy/watch.test.ts',
  'test/deploy/app-lock.test.ts',
  'test/deploy/ownership-apply.test.ts',
  'test/deploy/resource-policies.test.ts',
  'test/deploy/preflight.test.ts',
  'test/commands/cluster.test.ts',
  // git, reading KubeVela's definitions from a local mirror of its repository.
  'test/compat/kubevela-mirror.test.ts',
  // git, git daemon, tar, a stand-in helm and kubectl; the fake API server.
  'test/commands/addon-registries.test.ts',
  'test/commands/def-sources.test.ts',
  'test/commands/client-render.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Every skipped test listed at the end, with the reason its title gives (test/support/skip-reporter.ts).
    reporters: ['default', './test/support/skip-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...SLOW_TESTS] } },
      { extends: true, test: { name: 'slow', include: SLOW_TESTS } },
    ],
  },
});
