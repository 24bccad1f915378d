import { spawn } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { build, type InlineConfig } from 'vite'

/** The repository root: WeWeb's CLI runs here (it reads `./ww-config.js` and `./package.json`). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** Where the TypeScript sources are compiled for the CLI (git-ignored; read by `ww-config.js` and `src/wwPlugin.js`). */
export const COMPILED_DIR = '.weweb'

/** The plugin name passed to `weweb build name=…`. */
export const PLUGIN_NAME = 'supabase-realtime'

/** What the CLI leaves behind. */
export const BUNDLE = 'dist/manager.js'

/** Left to the CLI's webpack (and `vue` to WeWeb's global `Vue`), so they are bundled once. */
const EXTERNAL = ['vue', 'pinia', '@supabase/supabase-js']

/**
 * Compiles the three entries the facades import: `runtime.js` (the runtime object),
 * `config.js` (the ww-config the published app needs) and `editor.js` (labels, copilot and the
 * Vue components of the editor, imported only inside `wwEditor` blocks).
 */
export function compileConfig(options: { watch?: boolean } = {}): InlineConfig {
  return {
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    plugins: [vue()],
    build: {
      outDir: COMPILED_DIR,
      emptyOutDir: true,
      minify: false,
      target: 'es2020',
      lib: {
        entry: {
          runtime: 'src/weweb-plugin.ts',
          config: 'editor-config/weweb-runtime-config.ts',
          editor: 'src/components/weweb-editor.ts',
        },
        formats: ['es'],
      },
      rolldownOptions: { external: EXTERNAL },
      ...(options.watch ? { watch: {} } : {}),
    },
  }
}

/** Compiles the TypeScript for the CLI. */
export async function compileForWeweb(): Promise<void> {
  await build(compileConfig())
}

/** Runs WeWeb's CLI (`weweb <args…>`) from the repository root; resolves with its exit code and output. */
export function runWewebCli(args: string[], options: { echo?: boolean } = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('../node_modules/@weweb/cli/bin/weweb.js', import.meta.url)), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const take = (chunk: Buffer, to: NodeJS.WriteStream): void => {
      output += chunk.toString()
      if (options.echo) to.write(chunk)
    }
    child.stdout.on('data', (chunk: Buffer) => take(chunk, process.stdout))
    child.stderr.on('data', (chunk: Buffer) => take(chunk, process.stderr))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? 1, output }))
  })
}

/** Thrown when `weweb build` did not produce the bundle (the CLI itself exits 0 on `BUILD ERROR`). */
export class WewebBuildError extends Error {
  readonly output: string
  constructor(output: string) {
    super(`weweb build did not write ${BUNDLE}. The CLI said:\n${output.trim() || '(nothing)'}`)
    this.name = 'WewebBuildError'
    this.output = output
  }
}

/** Compiles, runs `weweb build name=supabase-realtime type=plugin`, and checks that `dist/manager.js` was written. */
export async function buildWewebBundle(options: { echo?: boolean } = {}): Promise<string> {
  await compileForWeweb()
  const bundle = fileURLToPath(new URL(`../${BUNDLE}`, import.meta.url))
  rmSync(bundle, { force: true })
  const { code, output } = await runWewebCli(['build', `name=${PLUGIN_NAME}`, 'type=plugin'], options)
  if (code !== 0 || !existsSync(bundle) || /BUILD ERROR|Error :/.test(output)) throw new WewebBuildError(output)
  return bundle
}
