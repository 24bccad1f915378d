import { readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { build, type Plugin, type Rollup } from 'vite'
import { BUNDLE, ROOT, buildWewebBundle } from './weweb-build-config'
import { SIZE_BUDGETS } from './weweb-size-budgets'
import { sizeBreakdown } from './weweb-size-table'

// `npm run size`: builds dist/manager.js as WeWeb does, checks it against its budgets, and prints
// what each dependency and each folder of the plugin puts in it (an esbuild metafile of the same
// entries), so that the next regression names its cause. Exits 1 when a budget is exceeded.


/** The Supabase packages (and Vue) left out of the runtime entry's measure: it counts the plugin's own code. */
const RUNTIME_EXTERNAL = ['vue', '@supabase/realtime-js', '@supabase/phoenix']
/** Strings that only editor code holds; none may be in the front build. */
const EDITOR_MARKERS = ['wwEditorInputRow', 'copilot', 'Never the service role key', 'On realtime broadcast']
const EDITOR_BLOCK = /\/\*\s*wwEditor:start\s*\*\/[\s\S]*?\/\*\s*wwEditor:end\s*\*\//g

/** The entries of dist/manager.js, from the TypeScript sources: the runtime object, the ww-config and its editor parts. */
const MANAGER_ENTRY = [
  "export { createWewebPlugin } from './src/weweb-plugin'",
  "export { wewebRuntimeConfig } from './editor-config/weweb-runtime-config'",
  "export { withEditorParts } from './src/components/weweb-editor'",
].join('\n')

/** Removes the `wwEditor` blocks of the facades, as WeWeb does for the published app. */
function stripEditorBlocks(): Plugin {
  return {
    name: 'strip-ww-editor',
    transform(code, id) {
      return id.endsWith('.js') && code.includes('wwEditor:start') ? code.replace(EDITOR_BLOCK, '') : null
    },
  }
}

/** Bundles the compiled facades (minified, `vue` external), with or without their `wwEditor` blocks. */
async function facades(options: { front: boolean }): Promise<string> {
  const output = (await build({
    configFile: false,
    root: ROOT,
    logLevel: 'silent',
    plugins: options.front ? [stripEditorBlocks()] : [],
    build: {
      write: false,
      minify: true,
      // NOTE: an app build, not library mode, which keeps the whitespace of ES output.
      rolldownOptions: { input: path.join(ROOT, 'scripts/size-weweb-entry.js'), external: ['vue'], preserveEntrySignatures: 'exports-only', output: { format: 'es' } },
    },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[]
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output)
  return chunks.map((c) => (c.type === 'chunk' ? c.code : '')).join('\n')
}

const gz = (code: string | Buffer): number => gzipSync(code, { level: 9 }).length
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`

async function main(): Promise<void> {
  await buildWewebBundle()
  const manager = readFileSync(path.join(ROOT, BUNDLE))
  const runtime = await sizeBreakdown(ROOT, "export { createWewebPlugin } from './src/weweb-plugin'", RUNTIME_EXTERNAL)
  const front = await facades({ front: true })
  const editor = await facades({ front: false })
  const rows: Array<[string, number, number, number | null]> = [
    ['(a) runtime entry src/weweb-plugin.ts (plugin code only: vue, realtime-js external)', runtime.bytes, runtime.gzip, SIZE_BUDGETS.runtime],
    ['front build: ww-config.js + src/wwPlugin.js, wwEditor blocks removed (vue external)', front.length, gz(front), null],
    ['(b) editor-only code (editor build - front build)', editor.length - front.length, gz(editor) - gz(front), null],
    [`(c) ${BUNDLE} from weweb build (all but vue)`, manager.length, gz(manager), SIZE_BUDGETS.manager],
  ]
  const width = Math.max(...rows.map((r) => r[0].length))
  console.log(`\n${'part'.padEnd(width)}  ${'minified'.padStart(9)}  ${'gzip'.padStart(9)}  ${'budget'.padStart(9)}`)
  for (const [name, raw, zipped, budget] of rows) {
    const over = budget !== null && zipped > budget
    console.log(`${name.padEnd(width)}  ${kb(raw).padStart(9)}  ${kb(zipped).padStart(9)}  ${budget === null ? '' : kb(budget).padStart(9)}${over ? `  OVER by ${kb(zipped - budget)}` : ''}`)
  }

  const table = await sizeBreakdown(ROOT, MANAGER_ENTRY)
  const nameWidth = Math.max(...table.shares.map((s) => s.name.length), 'dependency or folder'.length)
  console.log(`\nWhere the bytes of ${BUNDLE} come from (esbuild metafile of the same entries, minified: ${kb(table.bytes)}, ${kb(table.gzip)} gz)`)
  console.log(`${'dependency or folder'.padEnd(nameWidth)}  ${'minified'.padStart(9)}  ${'share'.padStart(6)}`)
  for (const share of table.shares) {
    console.log(`${share.name.padEnd(nameWidth)}  ${kb(share.bytes).padStart(9)}  ${`${((share.bytes / table.bytes) * 100).toFixed(1)}%`.padStart(6)}`)
  }

  const leaked = EDITOR_MARKERS.filter((marker) => front.includes(marker))
  const inEditor = EDITOR_MARKERS.filter((marker) => editor.includes(marker))
  console.log(`\nEditor code in the front build: ${leaked.length === 0 ? 'none' : leaked.join(', ')} (markers found in the editor build: ${inEditor.length}/${EDITOR_MARKERS.length})`)
  const over = rows.filter(([, , zipped, budget]) => budget !== null && zipped > budget)
  for (const [name, , zipped, budget] of over) console.error(`Over budget: ${name}: ${kb(zipped)} gz > ${kb(budget ?? 0)}`)
  if (over.length > 0 || leaked.length > 0 || inEditor.length !== EDITOR_MARKERS.length) process.exitCode = 1
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
