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
    // Plugins meet only through the core's public API: they never import each other.
    files: ['packages/plugin-*/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@site-cli/plugin-*', '../../plugin-*'] }],
    },
  },
);
