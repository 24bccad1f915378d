import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import type { InlineConfig, Plugin } from 'vite'

/** What the playground reads from `/config.json` as its default settings. */
export interface PlaygroundDefaults {
  /** Project URL of the Realtime server, e.g. `http://127.0.0.1:54321`. */
  url: string
  /** Public (anon) key. */
  anonKey: string
}

/** Folder of the playground app. */
export const PLAYGROUND_ROOT = fileURLToPath(new URL('../playground/', import.meta.url))

/** Serves `GET /config.json` with the current defaults, in the dev server and in preview. */
export function playgroundDefaultsPlugin(getDefaults: () => PlaygroundDefaults | null): Plugin {
  const handle = (url: string | undefined, send: (status: number, body: string) => void): boolean => {
    if (!url || url.split('?')[0] !== '/config.json') return false
    const defaults = getDefaults()
    send(defaults ? 200 : 404, JSON.stringify(defaults ?? { error: 'No local server is running.' }))
    return true
  }
  const middleware = (
    req: { url?: string | undefined },
    res: { statusCode: number; setHeader(name: string, value: string): void; end(body: string): void },
    next: () => void,
  ): void => {
    const handled = handle(req.url, (status, body) => {
      res.statusCode = status
      res.setHeader('content-type', 'application/json')
      res.setHeader('cache-control', 'no-store')
      res.end(body)
    })
    if (!handled) next()
  }
  return {
    name: 'playground-defaults',
    configureServer(server) {
      server.middlewares.use(middleware)
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware)
    },
  }
}

/** Options of {@link playgroundViteConfig}. */
export interface PlaygroundViteOptions {
  defaults: () => PlaygroundDefaults | null
  /** @default '127.0.0.1' */
  host?: string
  /** @default 5173 */
  port?: number
  /** Fail instead of picking another port when `port` is taken. @default false */
  strictPort?: boolean
  /** Build output folder (for build and preview). @default 'playground/dist' */
  outDir?: string
  /** @default 'info' */
  logLevel?: InlineConfig['logLevel']
}

/** The Vite configuration of the playground, used by `npm start` and the browser tests. */
export function playgroundViteConfig(options: PlaygroundViteOptions): InlineConfig {
  const host = options.host ?? '127.0.0.1'
  const port = options.port ?? 5173
  const strictPort = options.strictPort ?? false
  return {
    configFile: false,
    root: PLAYGROUND_ROOT,
    base: './',
    logLevel: options.logLevel ?? 'info',
    clearScreen: false,
    plugins: [vue(), playgroundDefaultsPlugin(options.defaults)],
    cacheDir: fileURLToPath(new URL('../node_modules/.vite-playground/', import.meta.url)),
    server: { host, port, strictPort, fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
    preview: { host, port, strictPort },
    optimizeDeps: { include: ['vue', 'pinia', '@supabase/supabase-js'] },
    build: { outDir: options.outDir ?? fileURLToPath(new URL('../playground/dist/', import.meta.url)), emptyOutDir: true, reportCompressedSize: false },
  }
}
