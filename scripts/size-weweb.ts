import { readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { build, type Plugin, type Rollup } from 'vite'
import { BUNDLE, ROOT, buildWewebBundle } from './weweb-build-config'

// `npm run size`: gzipped sizes of the runtime entry, of the front build (what a published app
// loads: ww-config.js and src/wwPlugin.js with the wwEditor blocks removed, as WeWeb does), of the
// editor-only code, and of the dist/manager.js that `weweb build` writes.

const EXTERNAL = ['vue', 'pinia', '@supabase/supabase-js']
const RUNTIME_TARGET_GZ = 12 * 1024
/** Strings that only editor code holds; none may be in the front build. */
const EDITOR_MARKERS = ['wwEditorInputRow', 'copilot', 'Never the service role key', 'On realtime broadcast']
const EDITOR_BLOCK = /\/\*\s*wwEditor:start\s*\*\/[\s\S]*?\/\*\s*wwEditor:end\s*\*\//g

/** Removes the `wwEditor` blocks of the facades, as WeWeb does for the published app. */
function stripEditorBlocks(): Plugin {
  return {
    name: 'strip-ww-editor',
    transform(code, id) {
      return id.endsWith('.js') && code.includes('wwEditor:start') ? code.replace(EDITOR_BLOCK, '') : null
    },
  }
}

/** Bundles `entry` (minified, vue/pinia/supabase-js external) and returns the code. */
async function bundle(entry: string, options: { front?: boolean } = {}): Promise<string> {
  const output = (await build({
    configFile: false,
    root: ROOT,
    logLevel: 'silent',
    plugins: options.front ? [stripEditorBlocks()] : [],
    build: {
      write: false,
      minify: true,
      // NOTE: an app build, not library mode, which keeps the whitespace of ES output.
      rolldownOptions: { input: path.join(ROOT, entry), external: EXTERNAL, preserveEntrySignatures: 'exports-only', output: { format: 'es' } },
    },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[]
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output)
  return chunks.map((c) => (c.type === 'chunk' ? c.code : '')).join('\n')
}

const gz = (code: string): number => gzipSync(code, { level: 9 }).length
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`

async function main(): Promise<void> {
  await buildWewebBundle()
  const runtime = await bundle('src/weweb-plugin.ts')
  // NOTE: the entry WeWeb's CLI generates imports exactly these two files.
  const facades = 'scripts/size-weweb-entry.js'
  const front = await bundle(facades, { front: true })
  const editor = await bundle(facades)
  const manager = readFileSync(path.join(ROOT, BUNDLE), 'utf8')
  const rows: Array<[string, number, number]> = [
    ['(a) runtime entry src/weweb-plugin.ts (vue, pinia, supabase-js external)', runtime.length, gz(runtime)],
    ['front build: ww-config.js + src/wwPlugin.js, wwEditor blocks removed (same externals)', front.length, gz(front)],
    ['(b) editor-only code (editor build − front build)', editor.length - front.length, gz(editor) - gz(front)],
    ['editor build: ww-config.js + src/wwPlugin.js with wwEditor blocks (same externals)', editor.length, gz(editor)],
    ['(c) dist/manager.js from weweb build (pinia and supabase-js bundled, vue global)', manager.length, gz(manager)],
  ]
  const width = Math.max(...rows.map((r) => r[0].length))
  console.log(`${'part'.padEnd(width)}  ${'minified'.padStart(9)}  ${'gzip'.padStart(9)}`)
  for (const [name, raw, zipped] of rows) console.log(`${name.padEnd(width)}  ${kb(raw).padStart(9)}  ${kb(zipped).padStart(9)}`)
  const leaked = EDITOR_MARKERS.filter((marker) => front.includes(marker))
  const inEditor = EDITOR_MARKERS.filter((marker) => editor.includes(marker))
  console.log(`\nEditor code in the front build: ${leaked.length === 0 ? 'none' : leaked.join(', ')} (markers found in the editor build: ${inEditor.length}/${EDITOR_MARKERS.length})`)
  console.log(`Runtime entry target ≤ ${kb(RUNTIME_TARGET_GZ)} gz: ${gz(runtime) <= RUNTIME_TARGET_GZ ? 'met' : `not met (${kb(gz(runtime) - RUNTIME_TARGET_GZ)} over)`}`)
  if (leaked.length > 0 || inEditor.length !== EDITOR_MARKERS.length) process.exitCode = 1
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
