// Nest 12 ships as ES modules, which Jest's CommonJS runtime cannot require on Node 20:
// @swc/jest compiles our TypeScript and Nest's JavaScript alike.
const swc = (syntax) => [
  '@swc/jest',
  {
    jsc: {
      parser: syntax === 'typescript' ? { syntax, decorators: true } : { syntax },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '\\.(spec|e2e-spec)\\.ts$',
  transform: {
    '^.+\\.ts$': swc('typescript'),
    '^.+\\.m?js$': swc('ecmascript'),
  },
  // @cloudflare/blindrsa-ts, @tus/server and its srvx ship as ES modules too.
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@cloudflare|@tus|srvx)/)'],
  moduleNameMapper: {
    '^@hearth/(protocol|client|matching|scheduling|progress)$': '<rootDir>/libs/$1/src',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  // Two cores: two workers keep both busy without thrashing PGlite's start-up.
  maxWorkers: 2,
  // The long files first even without jest's timing cache (CI starts without one).
  testSequencer: '<rootDir>/test/support/sequencer.js',
};
