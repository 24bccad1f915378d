import js from '@eslint/js'
import { createNodeResolver, importX } from 'eslint-plugin-import-x'
import globals from 'globals'
import pluginVue from 'eslint-plugin-vue'
import tseslint from 'typescript-eslint'
import { importCycles } from './scripts/lint/no-type-import-cycle.js'

/**
 * Layers point one way, from the bottom up:
 *   filter/                                 the Postgres filter grammar, shared by server and plugin
 *   src/core, src/runtime, src/store        the plugin core: supabase-js, state, errors, validation
 *   actions/, triggers/                     workflow actions and app triggers, built on the core
 *   editor-config/, src/host/               the editor manifest and the hosts, built on those
 *   src/*.ts, src/composables/              entry points (createRealtimePlugin, index, WeWeb entry)
 *   playground/                             the reference host, on top of the plugin
 *   server/                                 the local Realtime server: only filter/ below it
 * Each zone lists what a layer may not import (type imports included).
 */
const ENTRY = ['src/*.ts', 'src/composables/**']
const PLUGIN = ['src/**', 'actions/**', 'triggers/**', 'editor-config/**']
const layerZones = [
  {
    target: ['filter/**'],
    from: [...PLUGIN, 'server/**', 'playground/**'],
    message: 'filter/ is shared by the server and the plugin: it imports neither.',
  },
  {
    target: ['src/core/**', 'src/runtime/**', 'src/store/**'],
    from: ['actions/**', 'triggers/**', 'editor-config/**', 'src/host/**', ...ENTRY, 'server/**', 'playground/**'],
    message: 'The core knows nothing of actions, triggers, the editor, hosts or entry points: move what it needs down into src/core.',
  },
  {
    target: ['actions/**'],
    from: ['triggers/**', 'editor-config/**', 'src/host/**', ...ENTRY, 'server/**', 'playground/**'],
    message: 'Actions build on the core only (src/core, src/runtime, src/store).',
  },
  {
    target: ['triggers/**'],
    from: ['actions/**', 'editor-config/**', 'src/host/**', ...ENTRY, 'server/**', 'playground/**'],
    message: 'Triggers build on the core only (src/core, src/runtime, src/store).',
  },
  {
    target: ['editor-config/**', 'src/host/**'],
    from: [...ENTRY, 'server/**', 'playground/**'],
    message: 'The editor config and the hosts build on the core, actions and triggers, never on entry points.',
  },
  {
    target: ENTRY,
    from: ['server/**', 'playground/**'],
    message: 'The plugin does not import the server or the playground.',
  },
  {
    target: ['server/**'],
    from: [...PLUGIN, 'playground/**'],
    message: 'The server stands alone: it may share filter/ with the plugin, nothing else.',
  },
]

/** The rules every TypeScript source follows, in `.ts` files and in `<script lang="ts">` of `.vue` files. */
const SHARED_RULES = {
  'no-debugger': 'error',
  curly: ['error', 'multi-line'],
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-explicit-any': 'error',
  '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
  'no-restricted-globals': ['error', { name: 'wwLib', message: 'Go through the HostAdapter (src/host/).' }],
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'test-results/**', '.data/**', 'playground/dist/**', '.weweb/**', 'tmp-build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // NOTE: Vue rules for the .vue files only (the plugin's recommended set would also judge components written in .ts tests).
  ...pluginVue.configs['flat/recommended'].map((config) => ({ ...config, files: ['**/*.vue'] })),
  {
    // NOTE: the components of the plugin (src/components) and of the playground, with TypeScript in <script lang="ts">.
    files: ['**/*.vue'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      ...SHARED_RULES,
      // NOTE: layout only; the templates keep short elements on one line, like the TypeScript around them.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      ...SHARED_RULES,
      'no-restricted-imports': ['error', { paths: [{ name: 'vue', importNames: ['ref', 'reactive'], message: 'Use shallowRef/shallowReactive for plugin state.' }] }],
    },
  },
  {
    files: ['{src,actions,triggers,editor-config,server,playground,filter}/**/*.ts'],
    plugins: { 'import-x': importX, local: importCycles },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.vue', '.js', '.json'] })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'local/no-type-import-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
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
