import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'
import vue from '@vitejs/plugin-vue'
import { build, type InlineConfig } from 'vite'
import * as Vue from 'vue' // eslint-disable-line no-restricted-imports
import { escapeNonAscii } from './escape-non-ascii'
import { DEFAULT_CLI_ARGS } from './weweb-cli-args'
import { leanRealtimeModules } from './weweb-lean-modules'
import { wewebPreflight } from './weweb-preflight'

/** The repository root: WeWeb's CLI runs here (it reads `./ww-config.js` and `./package.json`). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** Where the TypeScript sources are compiled for the CLI (git-ignored; read by `ww-config.js` and `src/wwPlugin.js`). */
export const COMPILED_DIR = '.weweb'

/** The plugin name passed to `weweb build name=…` by default. */
export const PLUGIN_NAME = DEFAULT_CLI_ARGS.name

/** What the CLI leaves behind (in `dist/`, which it never empties: the build does). */
export const BUNDLE = 'dist/manager.js'

/** WeWeb's global `Vue`; everything else is bundled here, once. */
const EXTERNAL = ['vue']

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
    plugins: [vue(), leanRealtimeModules()],
    build: {
      outDir: COMPILED_DIR,
      emptyOutDir: true,
      // NOTE: minified here too, the bundle is ~1 KB gz smaller than with the CLI's minifier alone;
      // `npm run serve` keeps the code readable.
      minify: !options.watch,
      // NOTE: the browsers WeWeb supports run ES2022; an older target adds helpers for class fields.
      target: 'es2022',
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

/**
 * Compiles the TypeScript for the CLI, always from scratch: the previous output is removed first,
 * so a failed compile leaves nothing the CLI could bundle. Throws {@link WewebBuildError}.
 */
export async function compileForWeweb(): Promise<void> {
  rmSync(path.join(ROOT, COMPILED_DIR), { recursive: true, force: true })
  try {
    await build(compileConfig())
  } catch (error) {
    rmSync(path.join(ROOT, COMPILED_DIR), { recursive: true, force: true })
    const message = error instanceof Error ? error.message : String(error)
    throw new WewebBuildError('', [`The TypeScript sources do not compile:\n${message}`])
  }
}

/** Type-checks the plugin's sources (`tsconfig.weweb.json`); resolves with the errors, empty when there are none. */
export function typecheckForWeweb(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('../node_modules/vue-tsc/bin/vue-tsc.js', import.meta.url)), '--noEmit', '--pretty', 'false', '-p', 'tsconfig.weweb.json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve(code === 0 ? [] : output.split('\n').filter((line) => /error TS\d+/.test(line))))
  })
}

/** Runs WeWeb's CLI (`weweb <args…>`) from the repository root; resolves with its exit code and output. */
export function runWewebCli(args: string[], options: { echo?: boolean; signal?: AbortSignal } = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('../node_modules/@weweb/cli/bin/weweb.js', import.meta.url)), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.signal ? { signal: options.signal } : {}),
    })
    let output = ''
    const take = (chunk: Buffer, to: NodeJS.WriteStream): void => {
      output += chunk.toString()
      if (options.echo) to.write(chunk)
    }
    child.stdout.on('data', (chunk: Buffer) => take(chunk, process.stdout))
    child.stderr.on('data', (chunk: Buffer) => take(chunk, process.stderr))
    child.on('error', (error) => (options.signal?.aborted ? resolve({ code: 130, output }) : reject(error)))
    child.on('close', (code) => resolve({ code: code ?? 1, output }))
  })
}

/**
 * Thrown when no bundle was made: the project is not ready for WeWeb (`problems`), or `weweb
 * build` did not write the bundle (the CLI itself exits 0 on `BUILD ERROR`; `output` is what it said).
 */
export class WewebBuildError extends Error {
  readonly output: string
  /** What is wrong (empty when the CLI wrote no bundle and said why in `output`). */
  readonly problems: readonly string[]
  constructor(output: string, problems: readonly string[] = []) {
    super(
      problems.length > 0
        ? `No ${BUNDLE} was written:\n${problems.join('\n')}`
        : `weweb build did not write ${BUNDLE}. The CLI said:\n${output.trim() || '(nothing)'}`,
    )
    this.name = 'WewebBuildError'
    this.output = output
    this.problems = problems
  }
}

/**
 * Runs the bundle as WeWeb loads it (global `Vue`, `window.addWwComponent`) and returns what is wrong
 * with the registration: nothing when a plugin registers with its actions, and a method for each.
 */
export function checkBundle(file: string): string[] {
  const registrations: Array<{ type?: unknown; content?: Record<string, unknown>; config?: { actions?: Array<{ code?: string; getIsValid?: unknown }> } }> = []
  const window = { addWwComponent: (registration: (typeof registrations)[number]) => registrations.push(registration) > 0 }
  // NOTE: a bundle with a lazy chunk finds where to load it from the script element that loaded it.
  const document = { currentScript: { tagName: 'SCRIPT', src: `https://localhost/${BUNDLE}` }, getElementsByTagName: () => [] }
  const context = vm.createContext({ window, document, Vue, console, setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask, URL, TextEncoder, TextDecoder, fetch })
  context['self'] = context
  try {
    vm.runInContext(readFileSync(file, 'utf8'), context, { filename: file, timeout: 10_000 })
  } catch (error) {
    return [`Loading ${BUNDLE} throws: ${error instanceof Error ? error.message : String(error)}`]
  }
  const registration = registrations[0]
  if (!registration) return [`${BUNDLE} never calls window.addWwComponent.`]
  const actions = registration.config?.actions ?? []
  const problems: string[] = []
  if (registration.type !== 'plugin') problems.push(`${BUNDLE} registers type ${String(registration.type)}, not plugin.`)
  if (actions.length === 0) problems.push(`The ww-config in ${BUNDLE} has no actions.`)
  for (const action of actions) {
    if (typeof registration.content?.[action.code ?? ''] !== 'function') problems.push(`The runtime object has no method for the action "${String(action.code)}".`)
    if (typeof action.getIsValid !== 'function') problems.push(`The action "${String(action.code)}" has no getIsValid.`)
  }
  return problems
}

/** Options of {@link buildWewebBundle}. */
export interface WewebBuildOptions {
  /** Echo the CLI's output. */
  echo?: boolean
  /** @default 'supabase-realtime' */
  name?: string
  /** @default 'plugin' */
  type?: string
  /** Type-check the sources first (`npm run build` does). @default false */
  typecheck?: boolean
}

/**
 * Checks the project (package.json version, ww-config.js, entry), optionally type-checks, compiles
 * the TypeScript from scratch, runs `weweb build name=… type=…`, checks that `dist/manager.js` was
 * written, makes it ASCII-only, then checks that it registers the plugin when loaded. The previous
 * bundle is removed first: whatever fails, no bundle is left behind.
 */
export async function buildWewebBundle(options: WewebBuildOptions = {}): Promise<string> {
  const bundle = fileURLToPath(new URL(`../${BUNDLE}`, import.meta.url))
  const dist = path.dirname(bundle)
  // NOTE: whatever fails below, neither a bundle nor compiled code the bare CLI could bundle is left.
  rmSync(dist, { recursive: true, force: true })
  rmSync(path.join(ROOT, COMPILED_DIR), { recursive: true, force: true })
  const unready = wewebPreflight(ROOT)
  if (unready.length > 0) throw new WewebBuildError('', unready)
  if (options.typecheck) {
    const errors = await typecheckForWeweb()
    if (errors.length > 0) throw new WewebBuildError('', [`The TypeScript sources have type errors:`, ...errors])
  }
  await compileForWeweb()
  const { code, output } = await runWewebCli(['build', `name=${options.name ?? PLUGIN_NAME}`, `type=${options.type ?? 'plugin'}`], options)
  if (code !== 0 || !existsSync(bundle) || /BUILD ERROR|Error :/.test(output)) throw new WewebBuildError(output)
  // NOTE: the CLI's minifier writes UTF-8 (even unquoted keys such as `À:`); ASCII loads under any charset.
  for (const file of readdirSync(dist).filter((f) => f.endsWith('.js'))) {
    writeFileSync(path.join(dist, file), escapeNonAscii(readFileSync(path.join(dist, file), 'utf8')))
  }
  const problems = checkBundle(bundle)
  if (problems.length > 0) {
    rmSync(dist, { recursive: true, force: true })
    throw new WewebBuildError(`${output}\n${problems.join('\n')}`, [`weweb build wrote ${BUNDLE}, but it does not load as a plugin, so it was removed:`, ...problems])
  }
  return bundle
}
