import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

// `npm run build` and the install-time compile on bad input, each in a copy of the project (its
// node_modules linked): the build stops with a message naming the problem, and leaves neither a
// bundle nor compiled files that WeWeb's bare CLI could bundle instead.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const COPIED = ['package.json', 'tsconfig.json', 'tsconfig.weweb.json', 'ww-config.js', 'src', 'actions', 'triggers', 'editor-config', 'filter', 'scripts']
const copies: string[] = []

afterEach(async () => {
  for (const dir of copies.splice(0)) await rm(dir, { recursive: true, force: true })
})

/** A copy of the project with a stale bundle and stale compiled files, as a previous build leaves them. */
async function projectCopy(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'weweb-build-'))
  copies.push(dir)
  for (const entry of COPIED) await cp(path.join(ROOT, entry), path.join(dir, entry), { recursive: true })
  await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir')
  await mkdir(path.join(dir, 'dist'))
  await mkdir(path.join(dir, '.weweb'))
  await writeFile(path.join(dir, 'dist/manager.js'), '/* stale bundle */')
  await writeFile(path.join(dir, '.weweb/runtime.js'), '/* stale compiled code */')
  return dir
}

/** Runs a project script as `npm run` does (through tsx), in `dir`. */
function runScript(dir: string, script: string, args: string[] = []): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), script, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? 1, output }))
  })
}

function leftovers(dir: string): string[] {
  return ['dist/manager.js', '.weweb'].filter((file) => existsSync(path.join(dir, file)))
}

describe('npm run build on bad input', () => {
  it('refuses a package.json version WeWeb refuses, naming it, before compiling anything', async () => {
    const dir = await projectCopy()
    const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ ...pkg, version: '1.0.0-beta.1' }))
    const { code, output } = await runScript(dir, 'scripts/build-weweb.ts', ['name=x', 'type=plugin'])
    expect(code).toBe(1)
    expect(output).toContain('package.json version "1.0.0-beta.1" is refused by WeWeb, which accepts digits and dots only')
    expect(leftovers(dir)).toEqual([])
  }, 120_000)

  it('names a missing ww-config.js', async () => {
    const dir = await projectCopy()
    await rm(path.join(dir, 'ww-config.js'))
    const { code, output } = await runScript(dir, 'scripts/build-weweb.ts')
    expect(code).toBe(1)
    expect(output).toContain('ww-config.js is missing at the repository root')
    expect(leftovers(dir)).toEqual([])
  }, 120_000)

  it('names a TypeScript error with its file and line', async () => {
    const dir = await projectCopy()
    await appendFile(path.join(dir, 'src/weweb-plugin.ts'), "\nexport const notANumber: number = 'text'\n")
    const { code, output } = await runScript(dir, 'scripts/build-weweb.ts')
    expect(code).toBe(1)
    expect(output).toContain('The TypeScript sources have type errors:')
    expect(output).toMatch(/src\/weweb-plugin\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'\./)
    expect(leftovers(dir)).toEqual([])
  }, 120_000)
})

describe('the install-time compile (prepare)', () => {
  it('never fails the install: on a syntax error it warns and leaves no compiled files', async () => {
    const dir = await projectCopy()
    await appendFile(path.join(dir, 'src/weweb-plugin.ts'), '\nexport const unfinished = (\n')
    const { code, output } = await runScript(dir, 'scripts/compile-weweb.ts')
    expect(code).toBe(0)
    expect(output).toContain("Could not compile the plugin for WeWeb's CLI (.weweb/ not written)")
    expect(output).toContain('The TypeScript sources do not compile')
    expect(existsSync(path.join(dir, '.weweb'))).toBe(false)
  }, 120_000)
})
