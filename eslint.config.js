import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeModules = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'stream', 'zlib', 'http', 'https', 'net', 'url', 'util', 'events', 'buffer'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test-results/**', 'playwright-report/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.mjs', '**/*.js', '**/*.cjs'], languageOptions: { globals: { ...globals.node } } },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    // The engine is pure TypeScript: it runs in workers, the main process, the CLI and the browser.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeModules.map((name) => ({ name, message: 'shared/ must not use Node APIs' })),
        patterns: [
          { group: ['node:*'], message: 'shared/ must not use Node APIs' },
          { group: ['electron', 'react', 'react-dom', 'zustand'], message: 'shared/ must not depend on a host or the UI' },
          { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ must not import the hosts or the UI' },
        ],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...nodeModules, 'electron'].map((name) => ({ name, message: 'the renderer has no Node access' })),
        patterns: [
          { group: ['node:*'], message: 'the renderer has no Node access' },
          { group: ['**/electron/**'], message: 'renderer/ talks to the back half only through shared/api' },
        ],
      }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/renderer/**'], message: 'electron/ must not import the renderer' }] }],
    },
  },
);
