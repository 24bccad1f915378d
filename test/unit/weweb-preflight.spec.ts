// @vitest-environment node
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { WEWEB_VERSION, wewebPreflight } from '../../scripts/weweb-preflight'

const dirs: string[] = []

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

/** A project folder with the given files (path → content). */
async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'weweb-preflight-'))
  dirs.push(dir)
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
    await writeFile(path.join(dir, file), content)
  }
  return dir
}

const READY = { 'package.json': JSON.stringify({ version: '0.1.0' }), 'ww-config.js': 'export default {}', 'src/wwPlugin.js': 'export default {}' }

describe('wewebPreflight', () => {
  it('finds nothing wrong with a project WeWeb can build', async () => {
    expect(wewebPreflight(await project(READY))).toEqual([])
  })

  it('accepts the versions the CLI accepts (digits and dots) and refuses the others', () => {
    expect(['1.0.0', '0.1.0', '12.3'].map((v) => WEWEB_VERSION.test(v))).toEqual([true, true, true])
    expect(['1.0.0-beta.1', 'v1.0.0', '1.0.0+build'].map((v) => WEWEB_VERSION.test(v))).toEqual([false, false, false])
  })

  it('names a version WeWeb refuses, and how to write one', async () => {
    const problems = wewebPreflight(await project({ ...READY, 'package.json': JSON.stringify({ version: '1.0.0-beta.1' }) }))
    expect(problems).toEqual([expect.stringMatching(/^package\.json version "1\.0\.0-beta\.1" is refused by WeWeb, which accepts digits and dots only: use e\.g\. "1\.2\.0"/)])
    expect(wewebPreflight(await project({ ...READY, 'package.json': '{}' }))[0]).toMatch(/^package\.json version undefined is refused by WeWeb/)
  })

  it('names a missing ww-config.js, a missing entry and an unreadable package.json', async () => {
    const { 'ww-config.js': _config, 'src/wwPlugin.js': _entry, ...rest } = READY
    expect(wewebPreflight(await project(rest))).toEqual([
      expect.stringMatching(/^ww-config\.js is missing at the repository root: WeWeb reads the plugin configuration from it\./),
      expect.stringMatching(/^src\/wwPlugin\.js is missing: WeWeb bundles the plugin object from it\./),
    ])
    const custom = await project({ ...READY, 'package.json': JSON.stringify({ version: '1.0.0', weweb: { componentPath: 'lib/plugin.js' } }) })
    expect(wewebPreflight(custom)).toEqual([expect.stringMatching(/^lib\/plugin\.js is missing/)])
    expect(wewebPreflight(await project({ ...READY, 'package.json': '{ not json' }))).toEqual([expect.stringMatching(/^package\.json cannot be read: /)])
  })
})
