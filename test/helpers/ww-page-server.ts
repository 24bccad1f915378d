import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { build } from 'vite'
import { BUNDLE, ROOT } from '../../scripts/weweb-build-config'

/** A running WeWeb stand-in page. */
export interface WwPageServer {
  url: string
  close(): Promise<void>
}

const HTML = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>WeWeb stand-in</title></head><body><div id="app"></div><script type="module" src="/page.js"></script></body></html>'

/**
 * Builds the stand-in page (`test/helpers/ww-page.ts`, Vue bundled and exposed as `window.Vue`)
 * into `outDir` and serves it with the built `dist/manager.js`, as WeWeb loads a plugin.
 */
export async function startWwPage(outDir: string): Promise<WwPageServer> {
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'es2022',
      lib: { entry: path.join(ROOT, 'test/helpers/ww-page.ts'), formats: ['es'], fileName: () => 'page.js' },
    },
  })
  const files: Record<string, () => Promise<string>> = {
    '/': () => Promise.resolve(HTML),
    '/page.js': () => readFile(path.join(outDir, 'page.js'), 'utf8'),
    '/dist/manager.js': () => readFile(path.join(ROOT, BUNDLE), 'utf8'),
  }
  const server = createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/'
    const file = files[pathname]
    if (!file) {
      res.writeHead(404).end()
      return
    }
    file().then(
      (body) => res.writeHead(200, { 'content-type': pathname.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(body),
      (error: unknown) => res.writeHead(500).end(String(error)),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
