import { build } from 'vite'
import { compileConfig, runWewebCli } from './weweb-build-config'

// `npm run serve:weweb [--port=8080]`: compiles the TypeScript into .weweb/ (and again on every
// change), then runs WeWeb's `weweb serve`. In the WeWeb editor, add https://localhost:<port> as a
// custom plugin in the developer popup.

async function main(): Promise<void> {
  const port = process.argv.slice(2).find((a) => a.startsWith('port='))?.slice(5) ?? process.env.npm_config_port ?? '8080'
  const watcher = await build(compileConfig({ watch: true }))
  const { code } = await runWewebCli(['serve', `port=${port}`], { echo: true })
  if ('close' in watcher) await watcher.close()
  process.exit(code)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
