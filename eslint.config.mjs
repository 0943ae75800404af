// Lint: typescript-eslint's type-checked rules, no floating promises, `import type` for types, no import cycles,
// and workflow code that can import only what is deterministic.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Every Node built-in under both of its names (`fs`, `node:fs`); some exist only with the prefix (`node:test`). */
const NODE_BUILTINS = [
  ...new Set(builtinModules.flatMap((name) => (name.startsWith('node:') ? [name] : [name, `node:${name}`]))),
];

/**
 * What workflow code may import: the two deterministic Temporal packages, a module of its own folder and a module of
 * src/shared (`./x` in src/shared and `../shared/x` in src/workflows both name one). Everything else is an error, as
 * the workflow bundle must not reach luxon, handlebars, the SLA clock, on-call lookups or any I/O.
 */
const WORKFLOW_IMPORTS = [
  '@temporalio/workflow',
  '@temporalio/common',
  String.raw`\./[\w-][\w.-]*`,
  String.raw`\.\./shared/[\w-][\w.-]*`,
];
/** Types only, for `proxyActivities<EscalationActivities>()`: the implementations run in the worker, not the bundle. */
const ACTIVITY_TYPES = String.raw`\.\./activities`;

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
    plugins: { 'import-x': importX },
    settings: {
      // import-x reads only the files it is told are modules, with the parser it is told of: ours, not node_modules.
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // No path aliases here, so Node's resolution with TypeScript's extension finds every module (`./x` is x.ts).
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json', '.node'] })],
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Type-only imports do not count: they leave no require() behind, so they cannot run modules in a loop.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/only-throw-error': 'off',
    },
  },
  {
    // Workflow code is replayed: it imports only what WORKFLOW_IMPORTS allows. The files listed under `ignores` are
    // pure helpers of the API, channels and activities that no workflow imports, so they are not in the bundle.
    files: ['src/workflows/**/*.ts', 'src/shared/**/*.ts'],
    ignores: ['src/shared/control-characters.ts', 'src/shared/escape-html.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.map((name) => ({
            name,
            message: 'Workflow code must be deterministic: no Node built-ins.',
          })),
          patterns: [
            {
              regex: `^(?!(${[...WORKFLOW_IMPORTS, ACTIVITY_TYPES, ...NODE_BUILTINS.map(escapeRegExp)].join('|')})$)`,
              message:
                'Workflow code imports only @temporalio/workflow, @temporalio/common, its own folder and src/shared; ' +
                'run anything else in an activity (a local one for a lookup), or move a pure computation to src/shared.',
            },
            {
              regex: `^${ACTIVITY_TYPES}$`,
              allowTypeImports: true,
              message: 'Import activities as types only (import type) and call them through proxyActivities.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression', message: 'Workflow code imports statically, from the allowed modules only.' },
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
