// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'node:*'];
const noDeepRelative = { group: ['../../../*'], message: 'Use a package name or a package.json "imports" alias instead of ../../.. chains.' };

/** Layer rules of STYLE.md: who may import whom. */
const layer = (files, paths, patterns, extra = {}) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { paths: paths.map((name) => ({ name, message: 'Not allowed in this layer (STYLE.md).' })), patterns: [noDeepRelative, ...patterns] }],
    ...extra,
  },
});

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/out/**', 'bench/results/**', '**/test-results/**', '**/playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  // shared: the contract in code. No I/O, no node, no DOM, no runtime-specific packages.
  layer(
    ['shared/src/**/*.ts'],
    [...nodeBuiltins, 'better-sqlite3', 'ws', 'mqtt', 'aedes', 'hono', 'react', 'electron'],
    [{ group: ['@cr/*', 'node:*'], message: 'shared imports nothing runtime-specific and no other package.' }],
    {
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'process', 'Buffer', 'require', '__dirname'],
    },
  ),
  // edge and cloud never import each other or the desktop.
  layer(['edge/**/*.ts'], [], [{ group: ['@cr/sync-server*', '@cr/desktop*', '**/sync-server/**', '**/desktop/**'], message: 'edge must not import the cloud or the desktop.' }]),
  layer(['sync-server/**/*.ts'], [], [{ group: ['@cr/edge*', '@cr/desktop*', '**/edge/src/**', '**/desktop/src/**'], message: 'the cloud must not import the edge or the desktop.' }]),
  // store-kit is shared by edge and cloud: it knows neither of them (nor the desktop).
  layer(
    ['store-kit/**/*.ts'],
    [],
    [{ group: ['@cr/edge*', '@cr/sync-server*', '@cr/desktop*', '**/edge/src/**', '**/sync-server/src/**', '**/desktop/src/**'], message: 'store-kit must not import the edge, the cloud or the desktop.' }],
  ),
  // The renderer is a web app: no node, no electron, no main process code.
  layer(
    ['desktop/src/renderer/**/*.{ts,tsx}'],
    [...nodeBuiltins, 'electron'],
    [{ group: ['**/main/**', '**/preload/**', 'electron', 'electron/*', 'node:*'], message: 'the renderer reaches native features only through the preload API.' }],
    { 'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname'] },
  ),
  // The renderer sees the cloud only as the type of its REST API (for Hono's typed client), through
  // one type-only file: cloud code (SQLite, node:*) must never reach the renderer's bundle.
  {
    files: ['desktop/src/renderer/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@cr/sync-server', '@cr/sync-server/**', '**/sync-server/**', '!@cr/sync-server/src/api-type'], message: 'the renderer imports the cloud only as `import type { CloudApi } from \'@cr/sync-server/src/api-type\'`.' },
            { group: ['@cr/sync-server/src/api-type'], allowTypeImports: true, message: 'the cloud API type is imported with `import type` only.' },
          ],
        },
      ],
    },
  },
  layer(['desktop/src/main/**/*.ts', 'desktop/src/preload/**/*.ts'], [], [{ group: ['**/renderer/**'], message: 'main and preload never import the renderer.' }]),
  { files: ['desktop/src/renderer/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
  // The cloud's stores answer with promises (SQLite adapted, PostgreSQL over the network): an answer
  // nobody awaits is a write that may not have happened, or a check that always passes.
  {
    files: ['sync-server/src/**/*.ts'],
    ignores: ['sync-server/src/**/*.test.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
);
