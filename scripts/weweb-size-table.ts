import { readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { build, type Plugin } from 'esbuild'
import { compileScript, parse } from 'vue/compiler-sfc'
import { leanRealtimeModulesEsbuild } from './weweb-lean-modules'

/** What one package (or one folder of the plugin) puts in a bundle. */
export interface SizeShare {
  /** `@supabase/realtime-js`, or a plugin folder such as `src/core`. */
  name: string
  /** Minified bytes in the bundle. */
  bytes: number
}

/** The bundle as esbuild makes it (minified, `vue` external) and where its bytes come from. */
export interface SizeBreakdown {
  bytes: number
  gzip: number
  shares: SizeShare[]
}

/** Compiles `.vue` files (script setup with its template inlined), so esbuild can bundle them as the CLI's vue-loader does. */
function vueFiles(): Plugin {
  return {
    name: 'vue-sfc',
    setup(build) {
      build.onLoad({ filter: /\.vue$/ }, (args) => {
        const { descriptor } = parse(readFileSync(args.path, 'utf8'), { filename: args.path })
        const script = compileScript(descriptor, { id: path.basename(args.path), inlineTemplate: true })
        return { contents: script.content, loader: script.lang === 'ts' ? 'ts' : 'js', resolveDir: path.dirname(args.path) }
      })
    },
  }
}

/** The package a bundled file belongs to, or its plugin folder (two levels under `src/`, one elsewhere). */
export function shareName(file: string): string {
  if (file.startsWith('scripts/weweb-stubs/')) return 'scripts/weweb-stubs (stand-ins for realtime-js modules)'
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)
  if (module?.[1]) return module[1]
  const parts = file.replace(/^\.\//, '').split('/')
  return parts[0] === 'src' && parts.length > 2 ? `${parts[0]}/${parts[1]}` : (parts[0] ?? file)
}

/**
 * Bundles `contents` (TypeScript, resolved from `root`) with esbuild, minified, `vue` external, and
 * sums its metafile per package and plugin folder: the table `npm run size` prints.
 */
export async function sizeBreakdown(root: string, contents: string, external: readonly string[] = ['vue']): Promise<SizeBreakdown> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: 'size-entry.ts' },
    absWorkingDir: root,
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2022',
    write: false,
    metafile: true,
    external: [...external],
    plugins: [vueFiles(), leanRealtimeModulesEsbuild()],
    define: { 'process.env.NODE_ENV': '"production"', __VUE_PROD_DEVTOOLS__: 'false' },
    logLevel: 'silent',
  })
  const output = Object.values(result.metafile.outputs)[0]
  const totals = new Map<string, number>()
  for (const [file, input] of Object.entries(output?.inputs ?? {})) {
    const name = shareName(file)
    totals.set(name, (totals.get(name) ?? 0) + input.bytesInOutput)
  }
  const code = result.outputFiles[0]?.contents ?? new Uint8Array()
  return {
    bytes: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    shares: [...totals].map(([name, bytes]) => ({ name, bytes })).filter((s) => s.bytes > 0).sort((a, b) => b.bytes - a.bytes),
  }
}
