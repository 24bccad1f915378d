import { statSync } from 'node:fs'
import { BUNDLE, buildWewebBundle, WewebBuildError } from './weweb-build-config'

// `npm run build:weweb`: compiles the TypeScript into .weweb/, then runs WeWeb's own
// `weweb build name=supabase-realtime type=plugin`, and fails unless it wrote dist/manager.js.

async function main(): Promise<void> {
  const started = Date.now()
  const bundle = await buildWewebBundle({ echo: true })
  console.log(`\nWeWeb bundle: ${BUNDLE} (${(statSync(bundle).size / 1024).toFixed(0)} KB) in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

main().catch((error: unknown) => {
  if (!(error instanceof WewebBuildError)) console.error(error)
  else if (error.problems.length > 0) console.error(`\n${error.message}`)
  else console.error(`\nweweb build failed: it did not write ${BUNDLE} (its output is above).`)
  process.exit(1)
})
