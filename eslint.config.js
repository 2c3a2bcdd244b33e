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
    // The one exception: another plugin's `outputs` declarations (its entries in ResourceOutputs), as types only.
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@site-cli/core', message: 'Plugins import types from @site-cli/core/plugin only.' },
          ],
          patterns: [
            {
              group: [
                '@site-cli/plugin-*',
                '!@site-cli/plugin-kit',
                '!@site-cli/plugin-*/outputs',
                '../../plugin-*',
              ],
              message: "Plugins never import each other; read another plugin's outputs through ctx.outputs.",
            },
            {
              group: ['@site-cli/core/lib/*'],
              message: 'Plugins import types from @site-cli/core/plugin only.',
            },
            {
              group: ['@site-cli/plugin-*/outputs'],
              allowTypeImports: true,
              message: "Another plugin's outputs are declarations only: import them with `import type`.",
            },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
);
