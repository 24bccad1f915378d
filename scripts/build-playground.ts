import { build } from 'vite'
import { playgroundViteConfig } from './playground-vite-config'

// `npx tsx scripts/build-playground.ts [outDir]`: a static build of the playground (default playground/dist).
// Served without `npm start`, it connects to http://127.0.0.1:54321 unless its Settings say otherwise.

async function main(): Promise<void> {
  const outDir = process.argv[2]
  await build(playgroundViteConfig({ defaults: () => null, logLevel: 'warn', ...(outDir ? { outDir } : {}) }))
  console.log(`Playground built into ${outDir ?? 'playground/dist'}`)
}

main().catch((error: unknown) => {
  console.error('The playground build failed:', error)
  process.exit(1)
})
