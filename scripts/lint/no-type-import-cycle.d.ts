import type { ESLint } from 'eslint'

/** ESLint plugin with one rule, `no-type-import-cycle` (see no-type-import-cycle.js). */
export declare const importCycles: ESLint.Plugin
