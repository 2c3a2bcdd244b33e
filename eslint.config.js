import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/lib/**', '**/node_modules/**', '**/bin/**', '.nx/**'] },
  js.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Plugins meet only through the core's public plugin API (types from @site-cli/core/plugin): they never
    // import each other or the engine, so a third-party plugin can do everything a built-in one does. The
    // plugin kit is the one package they share at run time.
    files: ['packages/plugin-*/src/**/*.ts', 'examples/*/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@site-cli/core', message: 'Plugins import types from @site-cli/core/plugin only.' },
          ],
          patterns: ['@site-cli/plugin-*', '!@site-cli/plugin-kit', '../../plugin-*', '@site-cli/core/lib/*'],
        },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
);
