import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin as EsbuildPlugin } from 'esbuild'
import type { Plugin } from 'vite'

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
    buildStart() {
      applied.clear()
      const missing = [path.join(PHOENIX_SOURCES, 'index.js'), ...Object.keys(LEAN_REPLACEMENTS)].filter((file) => !existsSync(file))
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
      if (error) return
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
    },
  }
}
