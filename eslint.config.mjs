// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Import rules for every module of the web client (see the apps/web/src blocks below). */
const WEB_EVERYWHERE = [
  {
    regex: '^@hearth/(client|protocol)/',
    message: 'Import @hearth/client and @hearth/protocol by their names only, never their internals.',
  },
  { regex: '(^|/)libs/', message: 'Import the SDK as @hearth/client or @hearth/protocol, not by a path into libs/.' },
  {
    regex: '(^|/)features/[^/]+/(?!index$).+',
    message: "Another feature only through its index.ts: import '…/features/<feature>', not one of its files.",
  },
];
/** state/ and shared/ are below the features and the shell: they import neither. */
const WEB_BELOW_FEATURES = [
  { regex: '(^|/)features(/|$)', message: 'state/ and shared/ never import features/.' },
  { regex: '^(\\.\\./)+app(/|$)', message: 'state/ and shared/ never import app/.' },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'apps/web/dist/**',
      'test-artifacts/**',
      'node_modules/**',
      'coverage/**',
      'data/**',
      '*.config.js',
      '*.config.mjs',
      // CommonJS that Jest loads itself before transforming anything, like jest.config.js.
      'test/support/sequencer.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // apps/api: imports a server file may not make. One block for both rules, because flat-config
    // blocks that set the same rule replace each other's options.
    files: ['apps/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // The server cannot decrypt, by construction: it never loads the crypto SDK.
          paths: [{ name: '@matrix-org/matrix-sdk-crypto-wasm', message: 'The server never imports the crypto SDK.' }],
          patterns: [
            {
              // A feature's repository is private to its module: `../<feature>/x.repository` (or
              // `./<feature>/…` from src/ itself) fails; a module's own `./x.repository` passes.
              // Every feature writes to the audit log and the room-event store: those two are
              // shared (the stream, the third shared piece, has no repository).
              regex:
                '^\\.{1,2}/(?:\\.\\./)*(?!(?:audit/audit|room-events/room-events)\\.repository$)[\\w-]+/.+\\.repository$',
              message: "Another module's repository is private to it: go through the services that module exports.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['@nestjs/*', 'typeorm', 'pg'], message: 'libs/ hold pure logic: no Nest, no TypeORM.' }],
        },
      ],
    },
  },
  {
    files: ['libs/client/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@nestjs/*', 'typeorm', 'pg'] }] }] },
  },
  // The web client's layers (issue 17). apps/web/src holds app/ (the shell; app/navigation.ts has
  // the View union), state/ (the stores), shared/ (hooks and form pieces), i18n/ and
  // features/<name>/, each feature's index.ts being its only door. Feature folders are flat (the
  // sibling pattern below reads `../<name>/<file>` as another feature's file).
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...WEB_EVERYWHERE] }] },
  },
  {
    files: ['apps/web/src/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...WEB_EVERYWHERE,
            {
              regex: '^\\.\\./(?!\\.\\.?/)[^/]+/(?!index$).+',
              message: "Another feature only through its index.ts: import '../<feature>', not one of its files.",
            },
            {
              regex: '^(\\.\\./)+app/(?!navigation$)',
              message: 'Of app/, features import app/navigation only (the shell imports the features).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/src/shared/**/*.{ts,tsx}', 'apps/web/src/state/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...WEB_EVERYWHERE, ...WEB_BELOW_FEATURES] }],
    },
  },
  {
    files: ['apps/web/src/state/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...WEB_EVERYWHERE,
            ...WEB_BELOW_FEATURES,
            { regex: '^(\\.\\./)+shared(/|$)', message: 'state/ is below shared/: the stores import no views.' },
          ],
        },
      ],
    },
  },
  {
    // The web client's unit tests are left out of its tsconfig (no Jest or Node types in the app):
    // typed linting reads them through the tsconfig that has them.
    files: ['apps/web/src/**/*.spec.ts', 'apps/web/src/**/*.spec-helper.ts'],
    languageOptions: {
      parserOptions: { projectService: false, project: ['apps/web/tsconfig.spec.json'] },
    },
  },
  {
    // Jest's asymmetric matchers (expect.any, expect.stringMatching) are typed `any`.
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  prettier,
);
