import type { AddressInfo } from 'node:net'
import { build, createServer, preview } from 'vite'
import { playgroundViteConfig, type PlaygroundDefaults } from './playground-vite-config'

/** A running playground web server. */
export interface PlaygroundServer {
  /** e.g. `http://127.0.0.1:5173/` */
  url: string
  port: number
  close(): Promise<void>
}

/** Options of the playground web server. */
export interface PlaygroundServerOptions {
  defaults: () => PlaygroundDefaults | null
  /** @default '127.0.0.1' */
  host?: string
  /** `0` picks a free port. @default 5173 */
  port?: number
  /** @default false */
  strictPort?: boolean
  /** @default 'info' */
  logLevel?: 'info' | 'warn' | 'error' | 'silent'
}

function urlOf(address: AddressInfo | string | null, host: string): { url: string; port: number } {
  const port = typeof address === 'object' && address ? address.port : 0
  return { url: `http://${host}:${port}/`, port }
}

/** Starts the Vite dev server of the playground (hot reload). */
export async function startPlaygroundDevServer(options: PlaygroundServerOptions): Promise<PlaygroundServer> {
  const host = options.host ?? '127.0.0.1'
  const server = await createServer(playgroundViteConfig({ ...options, host }))
  await server.listen()
  const { url, port } = urlOf(server.httpServer?.address() ?? null, host)
  return { url, port, close: () => server.close() }
}

/** Builds the playground into `outDir` and serves the build, as the browser tests do. */
export async function startPlaygroundPreview(options: PlaygroundServerOptions & { outDir: string }): Promise<PlaygroundServer> {
  const host = options.host ?? '127.0.0.1'
  const config = playgroundViteConfig({ ...options, host, logLevel: options.logLevel ?? 'warn' })
  await build(config)
  const server = await preview(config)
  const { url, port } = urlOf(server.httpServer.address(), host)
  return {
    url,
    port,
    close: () => server.close(),
  }
}
