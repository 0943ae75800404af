// Lint: typescript-eslint's type-checked rules, no floating promises, and deterministic workflow code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'data/',
      '.temporal-bin/',
      'coverage/',
      'eslint.config.mjs',
      'jest.config.js',
      'scripts/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/only-throw-error': 'off',
    },
  },
  {
    // Workflow code is replayed: no I/O, no zod, no Node built-ins, no activity implementations.
    files: ['src/workflows/**/*.ts', 'src/shared/**/*.ts'],
    ignores: ['src/shared/search-attributes.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'Workflow code must be deterministic: no Node built-ins.' },
            { group: ['zod', 'zod/*'], message: 'Validate at the edge (API, matrix), not in workflow code.' },
            {
              group: ['**/activities', '**/activities/*'],
              allowTypeImports: true,
              message: 'Import activities as types only (import type) and call them through proxyActivities.',
            },
            {
              group: [
                '@temporalio/client',
                '@temporalio/worker',
                '@temporalio/activity',
                '**/store/*',
                '**/channels/*',
                '**/api/*',
                '**/matrix/*',
              ],
              allowTypeImports: true,
              message: 'Workflow code must not import I/O modules.',
            },
          ],
          paths: ['fs', 'path', 'crypto', 'http', 'https', 'child_process', 'os', 'pino', 'pg', 'yaml', 'express'].map(
            (name) => ({
              name,
              message: 'Workflow code must be deterministic: no I/O modules.',
            }),
          ),
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() from @temporalio/workflow.' },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
);
