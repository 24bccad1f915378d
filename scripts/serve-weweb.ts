import { build } from 'vite'
import { compileConfig, compileForWeweb, runWewebCli, WewebBuildError } from './weweb-build-config'
import { readWewebCliArgs } from './weweb-cli-args'

// `npm run serve` (or `npm run serve -- port=8081`, `npm run serve --port=8081`): compiles the
// TypeScript into .weweb/ from scratch (and again on every change), then runs WeWeb's `weweb serve`.
// In the WeWeb editor, add https://localhost:<port> as a custom plugin in the developer popup.

async function main(): Promise<void> {
  const { port } = readWewebCliArgs(process.argv.slice(2), process.env)
  await compileForWeweb()
  const watcher = await build(compileConfig({ watch: true }))
  const stop = new AbortController()
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort())
  const { code } = await runWewebCli(['serve', `port=${port}`], { echo: true, signal: stop.signal })
  if ('close' in watcher) await watcher.close()
  process.exit(code)
}

main().catch((error: unknown) => {
  console.error(error instanceof WewebBuildError ? error.message : error)
  process.exit(1)
})
