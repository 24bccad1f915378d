import { describe, expect, it } from 'vitest'
import type { FieldSpec } from '../../editor-config/manifest-types'
import { MANIFEST } from '../../editor-config/manifest'
import { toWewebConfig } from '../../editor-config/weweb-config'
import { editorIssues, wewebRuntimeConfig } from '../../editor-config/weweb-runtime-config'
import { writePath } from '../../src/components/field-path'

/** What a new action form holds once it filled in the manifest's defaults, plus the required fields. */
function sampleArgs(fields: FieldSpec[]): Record<string, unknown> {
  let args: Record<string, unknown> = {}
  for (const field of fields) if (field.default !== undefined) args = writePath(args, field.name, field.default)
  const required: Record<string, unknown> = { channel: 'chat', event: 'message' }
  for (const field of fields) if (field.required && args[field.name] === undefined) args = writePath(args, field.name, required[field.name])
  return args
}

describe('the ww-config', () => {
  const editor = toWewebConfig()
  const runtime = wewebRuntimeConfig()

  it('accepts every action with its default arguments and the required fields filled in', () => {
    for (const spec of MANIFEST.actions) {
      const action = editor.actions.find((a) => a.code === spec.id)
      expect(action?.getIsValid(sampleArgs(spec.fields)), spec.id).toBe(true)
      expect(runtime.actions.find((a) => a.code === spec.id)?.getIsValid(sampleArgs(spec.fields))).toBe(true)
    }
  })

  it('leaves fields bound to a formula to the run, and still checks the others', () => {
    const subscribe = editor.actions[0]
    const bound = { __wwtype: 'f', code: "variables['user'].id" }
    expect(subscribe?.getIsValid({ channel: bound })).toBe(true)
    expect(subscribe?.getIsValid({ channel: 'chat', postgresChanges: bound })).toBe(true)
    expect(subscribe?.getIsValid({ channel: bound, postgresChanges: [{ table: bound, filter: 'room_id' }] })).toBe(false)
    expect(editorIssues([{ field: 'presence.key', code: 'INVALID_TYPE', message: '', fix: '' }], { presence: bound })).toEqual([])
  })

  it('gives the copilot type names and keeps editor text out of the runtime part', () => {
    expect(editor.actions.map((a) => a.copilot.returns)).toEqual(['object', 'object', 'object', 'object', 'object', 'object', 'object'])
    expect(runtime.actions.every((a) => !('copilot' in a) && !('edit' in a))).toBe(true)
    expect(runtime.triggers).toEqual(editor.triggers.map((t) => ({ value: t.value })))
    expect(runtime.variables).toEqual(editor.variables)
    expect(runtime.editor.settings[0]).toEqual({ getIsValid: expect.any(Function), onSave: 'onSave' })
  })
})
