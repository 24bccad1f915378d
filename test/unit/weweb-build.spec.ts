// @vitest-environment node
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkBundle } from '../../scripts/weweb-build-config'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'weweb-bundle-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function bundle(name: string, code: string): Promise<string> {
  const file = path.join(dir, name)
  await writeFile(file, code)
  return file
}

describe('checkBundle', () => {
  it('accepts a bundle that registers a plugin with a method and getIsValid per action', async () => {
    const file = await bundle('ok.js', `window.addWwComponent({ name: 'x', version: '1', type: 'plugin', content: { go() {} }, config: { actions: [{ code: 'go', getIsValid() { return true } }] } })`)
    expect(checkBundle(file)).toEqual([])
  })

  it('names what is wrong: a throwing bundle, no registration, a missing method, another type', async () => {
    expect(checkBundle(await bundle('throws.js', 'x'))[0]).toMatch(/throws: ReferenceError: x is not defined/)
    expect(checkBundle(await bundle('silent.js', 'void 0'))).toEqual(['dist/manager.js never calls window.addWwComponent.'])
    const file = await bundle('partial.js', `window.addWwComponent({ type: 'element', content: {}, config: { actions: [{ code: 'go' }] } })`)
    expect(checkBundle(file)).toEqual([
      'dist/manager.js registers type element, not plugin.',
      'The runtime object has no method for the action "go".',
      'The action "go" has no getIsValid.',
    ])
  })
})
