import { readFileSync, statSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { BUNDLE, buildWewebBundle, WewebBuildError } from './weweb-build-config'
import { readWewebCliArgs } from './weweb-cli-args'

// `npm run build` (as the official plugins': `npm run build -- name=x type=plugin`, or
// `npm run build --name=x --type=plugin`; this plugin's name and type by default): checks the
// project, type-checks and compiles the TypeScript into .weweb/ from scratch, then runs WeWeb's own
// `weweb build name=… type=…`, and fails unless it wrote a dist/manager.js that registers the plugin.

async function main(): Promise<void> {
  const started = Date.now()
  const { name, type } = readWewebCliArgs(process.argv.slice(2), process.env)
  console.log(`Building the WeWeb ${type} "${name}"`)
  const bundle = await buildWewebBundle({ echo: true, name, type, typecheck: true })
  const gz = gzipSync(readFileSync(bundle), { level: 9 }).length
  console.log(`\nWeWeb bundle: ${BUNDLE} (${(statSync(bundle).size / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped) in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

main().catch((error: unknown) => {
  if (!(error instanceof WewebBuildError)) console.error(error)
  else if (error.problems.length > 0) console.error(`\n${error.message}`)
  else console.error(`\nweweb build failed: it did not write ${BUNDLE} (its output is above).`)
  process.exit(1)
})
