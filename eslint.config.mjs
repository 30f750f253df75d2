// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

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
    // The server cannot decrypt, by construction: it never loads the crypto SDK.
    files: ['apps/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@matrix-org/matrix-sdk-crypto-wasm', message: 'The server never imports the crypto SDK.' }],
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
