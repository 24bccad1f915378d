import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin as EsbuildPlugin } from 'esbuild'
import { parseSync, type Plugin } from 'vite'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const STUBS = fileURLToPath(new URL('./weweb-stubs/', import.meta.url))
const REALTIME = path.join(ROOT, 'node_modules/@supabase/realtime-js/dist/module')
/** Phoenix's own ES modules, shipped in the package beside the single-file `phoenix.mjs` they are bundled into. */
const PHOENIX_SOURCES = path.join(ROOT, 'node_modules/@supabase/phoenix/assets/js/phoenix')

/**
 * Modules of `@supabase/realtime-js` and its Phoenix socket that the plugin never reaches in a
 * browser, replaced in the WeWeb compile only (tests and the npm entry keep the real ones) by
 * small stand-ins in `scripts/weweb-stubs/` that keep what is used and throw
 * `LeftOutOfBundleError` if anything else is ever called. Keyed by the resolved file.
 */
export const LEAN_REPLACEMENTS: Readonly<Record<string, string>> = {
  [path.join(PHOENIX_SOURCES, 'longpoll.js')]: path.join(STUBS, 'phoenix-long-poll.ts'),
  [path.join(PHOENIX_SOURCES, 'ajax.js')]: path.join(STUBS, 'phoenix-ajax.ts'),
  [path.join(PHOENIX_SOURCES, 'serializer.js')]: path.join(STUBS, 'phoenix-serializer.ts'),
  [path.join(REALTIME, 'lib/websocket-factory.js')]: path.join(STUBS, 'realtime-websocket-factory.ts'),
  [path.join(REALTIME, 'RealtimePostgresFilterBuilder.js')]: path.join(STUBS, 'realtime-postgres-filter-builder.ts'),
}

/**
 * Methods of realtime-js and Phoenix classes the plugin never calls, whose bodies the WeWeb compile
 * replaces by a `LeftOutOfBundleError` throw (keyed by resolved file, then class method name):
 * `httpSend` (the plugin sends over REST with its own `restBroadcast`, which maps each refusal to a
 * typed error), the Web Worker heartbeat (`worker: true`, never set by the plugin) and Phoenix's
 * long-poll fallback (`longPollFallbackMs`, never set by realtime-js) with the helpers only it uses.
 */
export const LEAN_METHODS: Readonly<Record<string, readonly string[]>> = {
  [path.join(REALTIME, 'RealtimeChannel.js')]: ['httpSend'],
  [path.join(REALTIME, 'RealtimeClient.js')]: ['_startWorkerHeartbeat', '_workerObjectUrl'],
  [path.join(PHOENIX_SOURCES, 'socket.js')]: ['connectWithFallback', 'replaceTransport', 'ping', 'transportName'],
}

interface AstNode {
  type: string
  start: number
  end: number
  [key: string]: unknown
}

/** Every class method named in `names`, found by walking the parsed module. */
function methodBodies(program: AstNode, names: readonly string[]): Map<string, AstNode[]> {
  const found = new Map<string, AstNode[]>(names.map((name) => [name, []]))
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit)
    if (!node || typeof node !== 'object') return
    const n = node as AstNode
    if (n.type === 'MethodDefinition') {
      const key = n['key'] as AstNode & { name?: string }
      const body = (n['value'] as { body?: AstNode } | undefined)?.body
      if (key.type === 'Identifier' && key.name && body) found.get(key.name)?.push(body)
    }
    for (const [field, value] of Object.entries(n)) if (field !== 'type' && field !== 'start' && field !== 'end') visit(value)
  }
  visit(program)
  return found
}

const ERROR_MODULE = JSON.stringify(path.join(STUBS, 'left-out-error.ts'))

/**
 * The module `code` of file `id` with the bodies of its {@link LEAN_METHODS} replaced by a
 * `LeftOutOfBundleError` throw, or `null` when none are listed for it. Throws when a listed method
 * is not found exactly once.
 */
export function withLeanMethods(id: string, code: string): string | null {
  const names = LEAN_METHODS[id]
  if (!names) return null
  const found = methodBodies(parseSync(id, code).program as unknown as AstNode, names)
  const bodies = [...found].flatMap(([name, list]) => {
    if (list.length !== 1) throw new Error(`${path.relative(ROOT, id)} has ${list.length} methods ${name}, not one (update LEAN_METHODS in scripts/weweb-lean-modules.ts)`)
    return list.map((body) => ({ name, body }))
  })
  let out = code
  // NOTE: replaced from the end so the earlier offsets stay valid.
  for (const { name, body } of bodies.sort((a, b) => b.body.start - a.body.start)) {
    out = `${out.slice(0, body.start)}{ throw new __LeftOutOfBundleError(${JSON.stringify(`${path.basename(id, '.js')}.${name}()`)}) }${out.slice(body.end)}`
  }
  return `import { LeftOutOfBundleError as __LeftOutOfBundleError } from ${ERROR_MODULE}\n${out}`
}

/**
 * A Vite plugin for the WeWeb compile: realtime-js imports `@supabase/phoenix` from its ES module
 * sources (the same code as `phoenix.mjs`, one module per file) so that single modules can be
 * replaced, then swaps the modules in {@link LEAN_REPLACEMENTS} for their stand-ins. The build
 * fails if a replaced module no longer exists or is no longer imported (a realtime-js upgrade
 * moved it): the list must then be checked again, never silently skipped.
 */
export function leanRealtimeModules(): Plugin {
  const applied = new Set<string>()
  return {
    name: 'weweb-lean-realtime-modules',
    enforce: 'pre',
    transform(code, id) {
      try {
        const out = withLeanMethods(id, code)
        return out === null ? null : { code: out, map: null }
      } catch (error) {
        return this.error(error instanceof Error ? error.message : String(error))
      }
    },
    buildStart() {
      applied.clear()
      const missing = [path.join(PHOENIX_SOURCES, 'index.js'), ...Object.keys(LEAN_REPLACEMENTS), ...Object.keys(LEAN_METHODS)].filter((file) => !existsSync(file))
      if (missing.length > 0) this.error(`The modules the WeWeb build replaces moved (update scripts/weweb-lean-modules.ts): ${missing.map((f) => path.relative(ROOT, f)).join(', ')}`)
    },
    async resolveId(source, importer, options) {
      if (source === '@supabase/phoenix' && importer?.startsWith(REALTIME)) return path.join(PHOENIX_SOURCES, 'index.js')
      if (!importer || !(importer.startsWith(REALTIME) || importer.startsWith(PHOENIX_SOURCES))) return null
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
      const stub = resolved ? LEAN_REPLACEMENTS[resolved.id] : undefined
      if (!stub || !resolved) return null
      applied.add(resolved.id)
      return stub
    },
    buildEnd(error) {
      // NOTE: a watch rebuild (`npm run serve`) does not resolve unchanged modules again.
      if (error || this.meta.watchMode) return
      const unused = Object.keys(LEAN_REPLACEMENTS).filter((file) => !applied.has(file))
      if (unused.length > 0) this.error(`The WeWeb build no longer imports these replaced modules (update scripts/weweb-lean-modules.ts): ${unused.map((f) => path.relative(ROOT, f)).join(', ')}`)
    },
  }
}

/** The same replacements for esbuild (the metafile table of `npm run size`), so that it measures what the WeWeb bundle holds. */
export function leanRealtimeModulesEsbuild(): EsbuildPlugin {
  return {
    name: 'weweb-lean-realtime-modules',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'lean' || !(args.importer.startsWith(REALTIME) || args.importer.startsWith(PHOENIX_SOURCES))) return null
        if (args.path === '@supabase/phoenix') return { path: path.join(PHOENIX_SOURCES, 'index.js') }
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'lean' })
        const stub = LEAN_REPLACEMENTS[resolved.path]
        return stub ? { path: stub } : null
      })
      build.onLoad({ filter: /\.js$/ }, (args) => {
        const contents = withLeanMethods(args.path, readFileSync(args.path, 'utf8'))
        return contents === null ? null : { contents, loader: 'js', resolveDir: path.dirname(args.path) }
      })
    },
  }
}
