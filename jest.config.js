// Three tiers (README "Tests"): unit tests of pure code need no services;
// integration and e2e files each get their own database cloned from a migrated
// template (see libs/testing), so files run in parallel.
const moduleNameMapper = {
  '^@app/(domain|config|persistence|queue|mail|testing|screening)$': '<rootDir>/libs/$1/src',
  // The web app imports single pure modules of libs/domain (apps/web/tsconfig.json, vite.config.ts).
  '^@app/domain/(.+)$': '<rootDir>/libs/domain/src/$1',
};
// openid-client and its two dependencies ship ES modules only; jest (CommonJS) gets them
// compiled (Node runs them itself through require(esm)).
const ESM_PACKAGES = ['openid-client', 'oauth4webapi', 'jose'];
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json' }],
  [`/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: [
    'ts-jest',
    { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' }, isolatedModules: true },
  ],
};
const transformIgnorePatterns = [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`];
const common = { moduleNameMapper, transform, transformIgnorePatterns, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  // A root-level option: jest ignores testTimeout inside a project.
  testTimeout: 60000,
  // Two files at a time: most of a file's time is spent waiting on PostgreSQL, Redis, SMTP and
  // timers, and jest's default on a 2-core machine (one worker) runs the suite in band.
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
    },
    // The same worker, queue and timer files again on BullMQ's PostgreSQL backend (a
    // backend is chosen per process, so per project, not inside one file). The SIGKILL
    // test spawns its worker with an environment built by workerEnv(), which does not
    // carry QUEUE_BACKEND yet, and takes ~1 min: it runs on Redis only.
    {
      ...common,
      displayName: 'e2e-pg-queue',
      // auth: sign-in throttling counts in PostgreSQL (login_attempt) on this backend.
      testMatch: [
        '<rootDir>/test/e2e/worker-*.e2e-spec.ts',
        '<rootDir>/test/e2e/sla-*.e2e-spec.ts',
        '<rootDir>/test/e2e/auth.e2e-spec.ts',
        '<rootDir>/test/e2e/login-throttle.e2e-spec.ts',
        '<rootDir>/test/e2e/queue-board.e2e-spec.ts',
        '<rootDir>/test/e2e/metrics.e2e-spec.ts',
      ],
      // sla-flush FLUSHALLs Redis to prove timers survive it: meaningless without Redis.
      testPathIgnorePatterns: ['/node_modules/', '/worker-kill\\.e2e-spec\\.ts$', '/sla-flush\\.e2e-spec\\.ts$'],
      globals: { TR_QUEUE_BACKEND: 'postgres' },
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
    },
  ],
};
