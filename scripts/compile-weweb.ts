// Runs on `npm install` / `npm ci` (the `prepare` script): compiles the TypeScript into the
// git-ignored .weweb/ that ww-config.js and src/wwPlugin.js import, so WeWeb's bare CLI
// (`npx weweb build name=… type=plugin`, `npx weweb serve`) works right after installing.
// It never fails the install: on a compile error it says so and leaves no .weweb/ behind, so the
// CLI stops at the missing file instead of bundling stale code; `npm run build` names the error.

async function main(): Promise<void> {
  const started = Date.now()
  try {
    // NOTE: imported here, so that an install without the dev tools (vite) warns instead of failing.
    const { compileForWeweb, COMPILED_DIR } = await import('./weweb-build-config')
    await compileForWeweb()
    console.log(`Compiled the plugin for WeWeb's CLI into ${COMPILED_DIR}/ in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  } catch (error) {
    const message = error instanceof Error && 'problems' in error ? (error.problems as string[]).join('\n') : String(error)
    console.warn(`Could not compile the plugin for WeWeb's CLI (.weweb/ not written); \`npm run build\` will say more.\n${message}`)
  }
}

void main()
