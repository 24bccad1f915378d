import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'test-results/**', '.data/**', 'playground/dist/**', '.weweb/**', 'tmp-build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-debugger': 'error',
      curly: ['error', 'multi-line'],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-globals': ['error', { name: 'wwLib', message: 'Go through the HostAdapter (src/host/).' }],
      'no-restricted-imports': ['error', { paths: [{ name: 'vue', importNames: ['ref', 'reactive'], message: 'Use shallowRef/shallowReactive for plugin state.' }] }],
    },
  },
  {
    files: ['src/**/*.ts', 'actions/**/*.ts', 'triggers/**/*.ts', 'editor-config/**/*.ts'],
    rules: { 'no-console': ['error', { allow: ['warn', 'error'] }] },
  },
  {
    files: ['src/host/weweb-host.ts'],
    rules: { 'no-restricted-globals': 'off' },
  },
  {
    files: ['playground/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked, languageOptions: { globals: { ...globals.node } } },
)
