import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

/** The versions WeWeb's CLI accepts (`package.json` `version`): digits and dots only. */
export const WEWEB_VERSION = /^[\d.]*$/

interface PackageJson {
  version?: unknown
  weweb?: { componentPath?: unknown }
}

function readPackage(root: string, problems: string[]): PackageJson | null {
  try {
    return JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageJson
  } catch (error) {
    problems.push(`package.json cannot be read: ${error instanceof Error ? error.message : String(error)}.`)
    return null
  }
}

/**
 * What would make `weweb build` fail or bundle the wrong files, checked before anything is
 * compiled: `package.json` (readable, with a version WeWeb accepts), `ww-config.js(on)` and the
 * plugin entry (`weweb.componentPath`, else `src/wwPlugin.js`). Each problem names its fix.
 */
export function wewebPreflight(root: string): string[] {
  const problems: string[] = []
  const pkg = readPackage(root, problems)
  if (pkg) {
    const version = pkg.version
    if (typeof version !== 'string' || !WEWEB_VERSION.test(version)) {
      problems.push(`package.json version ${JSON.stringify(version)} is refused by WeWeb, which accepts digits and dots only: use e.g. "1.2.0" (no "-beta", no "v").`)
    }
  }
  if (!existsSync(path.join(root, 'ww-config.js')) && !existsSync(path.join(root, 'ww-config.json'))) {
    problems.push('ww-config.js is missing at the repository root: WeWeb reads the plugin configuration from it. Restore it (git checkout ww-config.js).')
  }
  const componentPath = typeof pkg?.weweb?.componentPath === 'string' ? pkg.weweb.componentPath : 'src/wwPlugin.js'
  if (!existsSync(path.join(root, componentPath))) {
    problems.push(`${componentPath} is missing: WeWeb bundles the plugin object from it. Restore it, or set "weweb.componentPath" in package.json.`)
  }
  return problems
}
