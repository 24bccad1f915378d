// @vitest-environment node
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import { escapeNonAscii } from '../../scripts/escape-non-ascii'

const SOURCE = [
  'const map = { À: "A", ß: "ss" };',
  'const text = "Project Settings → API ⚠️ 😀";',
  'const tpl = `…${map.À}`;',
  'const re = /[À-ÿ]+/u;',
  '({ keys: Object.keys(map), text, tpl, matches: re.test("Ãé"), astral: [..."😀"].length })',
].join('\n')

describe('escapeNonAscii', () => {
  it('leaves only ASCII', () => {
    expect(escapeNonAscii(SOURCE)).not.toMatch(/[\u0080-\uffff]/)
  })

  it('keeps the meaning of keys, strings, templates, regular expressions and astral characters', () => {
    expect(vm.runInNewContext(escapeNonAscii(SOURCE))).toEqual(vm.runInNewContext(SOURCE))
  })

  it('loads the same when the escaped bytes are read as windows-1252, where the raw UTF-8 does not', () => {
    const asLatin1 = (code: string): string => Buffer.from(code, 'utf8').toString('latin1')
    expect(() => vm.runInNewContext(asLatin1(SOURCE))).toThrow(/Invalid or unexpected token/)
    expect(vm.runInNewContext(asLatin1(escapeNonAscii(SOURCE)))).toEqual(vm.runInNewContext(SOURCE))
  })
})
