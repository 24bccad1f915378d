// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ESLint } from 'eslint'
import { createNodeResolver, importX } from 'eslint-plugin-import-x'
import tseslint from 'typescript-eslint'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importCycles } from '../../scripts/lint/no-type-import-cycle.js'

let dir = ''

const FILES: Record<string, string> = {
  // a type-only cycle: import-x/no-cycle skips it, the local rule reports it
  'type-a.ts': "import type { B } from './type-b'\nexport interface A { b: B | null }\n",
  'type-b.ts': "import type { A } from './type-a'\nexport interface B { a: A | null }\n",
  // a value cycle: import-x/no-cycle reports it, the local rule leaves it to import-x
  'value-a.ts': "import { b } from './value-b'\nexport const a = (): number => b() + 1\n",
  'value-b.ts': "import { a } from './value-a'\nexport const b = (): number => (a.length > 5 ? 0 : 1)\n",
  // a cycle through a type import one way and a value import back: only the local rule sees it
  'mixed-a.ts': "import type { M } from './mixed-b'\nexport class N { m: M | null = null }\n",
  'mixed-b.ts': "import { N } from './mixed-a'\nexport interface M { n: N }\nexport const make = (): N => new N()\n",
  // one way only: nothing to report
  'leaf.ts': 'export interface Leaf { id: number }\n',
  'user.ts': "import type { Leaf } from './leaf'\nexport const first = (leaves: Leaf[]): Leaf | undefined => leaves[0]\n",
}

async function lintAll(): Promise<Map<string, string[]>> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: { 'import-x': importX, local: importCycles },
        settings: {
          'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts'] })],
          'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
          'import-x/extensions': ['.ts'],
        },
        rules: { 'import-x/no-cycle': 'error', 'local/no-type-import-cycle': 'error' },
      },
    ],
  })
  const results = await eslint.lintFiles(['*.ts'])
  return new Map(results.map((r) => [path.basename(r.filePath), r.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`)]))
}

describe('lint: import cycles', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'import-cycles-'))
    for (const [name, text] of Object.entries(FILES)) writeFileSync(path.join(dir, name), text)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reports every cycle once, value cycles by import-x and the others by the local rule', async () => {
    const found = await lintAll()
    expect(found.get('type-a.ts')).toEqual(['local/no-type-import-cycle: Import cycle: type-a.ts → type-b.ts → type-a.ts. Move the shared type into a module both can import, or invert one dependency.'])
    expect(found.get('type-b.ts')).toEqual(['local/no-type-import-cycle: Import cycle: type-b.ts → type-a.ts → type-b.ts. Move the shared type into a module both can import, or invert one dependency.'])
    expect(found.get('value-a.ts')).toEqual(['import-x/no-cycle: Dependency cycle detected'])
    expect(found.get('value-b.ts')).toEqual(['import-x/no-cycle: Dependency cycle detected'])
    expect(found.get('mixed-a.ts')?.map((m) => m.split(':')[0])).toEqual(['local/no-type-import-cycle'])
    expect(found.get('mixed-b.ts')?.map((m) => m.split(':')[0])).toEqual(['local/no-type-import-cycle'])
    expect(found.get('leaf.ts')).toEqual([])
    expect(found.get('user.ts')).toEqual([])
  })
})
