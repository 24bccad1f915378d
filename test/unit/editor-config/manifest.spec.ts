import { describe, expect, it } from 'vitest'
import { ACTIONS } from '../../../actions/action-list'
import { MANIFEST, validateSettings } from '../../../editor-config/manifest'
import type { FieldSpec } from '../../../editor-config/manifest-types'
import { toWewebConfig } from '../../../editor-config/weweb-config'
import { TRIGGERS } from '../../../triggers/trigger-list'

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.')
  let cursor = target
  for (const part of parts.slice(0, -1)) {
    cursor[part] ??= {}
    cursor = cursor[part] as Record<string, unknown>
  }
  cursor[parts.at(-1) as string] = value
}

function defaultsOf(fields: FieldSpec[]): Record<string, unknown> {
  const input: Record<string, unknown> = {}
  for (const f of fields) if (f.default !== undefined) setPath(input, f.name, f.default)
  return input
}

describe('manifest', () => {
  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(MANIFEST))).toEqual(MANIFEST)
  })

  it('lists the fixed action, trigger and variable ids', () => {
    expect(MANIFEST.actions.map((a) => a.id)).toEqual(['subscribe', 'broadcast', 'presence', 'unsubscribe', 'shareCursor', 'stopCursor', 'setLiveState'])
    expect(MANIFEST.triggers.map((t) => t.id)).toEqual(['broadcast', 'presence', 'postgres-changes', 'channel-status', 'connection-status'])
    expect(MANIFEST.variables.map((v) => v.id)).toEqual(['connection', 'channels', 'messages', 'presence', 'changes', 'collections', 'cursors', 'liveState'])
  })

  it('describes every field with a label and a tooltip', () => {
    for (const action of MANIFEST.actions) {
      for (const field of [...action.fields, ...action.fields.flatMap((f) => f.itemFields ?? [])]) {
        expect(field.label, `${action.id}.${field.name}`).not.toBe('')
        expect(field.tooltip.length, `${action.id}.${field.name}`).toBeGreaterThan(10)
      }
    }
  })

  it('gives field defaults that the runtime validator accepts once the required fields are filled', () => {
    const filled: Record<string, Record<string, unknown>> = {
      subscribe: { channel: 'chat' },
      broadcast: { channel: 'chat', event: 'message' },
      presence: { channel: 'chat' },
      unsubscribe: { channel: 'chat' },
      shareCursor: { channel: 'board' },
      stopCursor: { channel: 'board' },
      setLiveState: { channel: 'board' },
    }
    for (const action of MANIFEST.actions) {
      const input = { ...defaultsOf(action.fields), ...filled[action.id] }
      expect(ACTIONS[action.id as keyof typeof ACTIONS].validate(input), action.id).toEqual([])
    }
  })

  it('marks exactly the fields the validator requires as required', () => {
    for (const action of MANIFEST.actions) {
      const required = action.fields.filter((f) => f.required && !f.visibleIf).map((f) => f.name)
      const issues = ACTIONS[action.id as keyof typeof ACTIONS].validate({})
      expect(issues.filter((i) => i.code === 'REQUIRED').map((i) => i.field).sort(), action.id).toEqual(
        action.id === 'unsubscribe' ? ['channel'] : required.sort(),
      )
    }
  })

  it('has trigger samples with the condition keys the runtime matches on', () => {
    for (const trigger of MANIFEST.triggers) {
      for (const condition of trigger.conditions) {
        expect(Object.keys(trigger.sampleEvent as object), `${trigger.id}.${condition.key}`).toContain(condition.key)
      }
    }
  })

  it('validates settings with advice', () => {
    expect(validateSettings({ url: 'https://xyz.supabase.co', key: 'anon' })).toEqual([])
    expect(validateSettings({}).map((i) => i.field)).toEqual(['url', 'key'])
    expect(validateSettings({ url: 'xyz.supabase.co', key: 'k' })).toEqual([expect.objectContaining({ field: 'url', code: 'INVALID_VALUE' })])
    expect(validateSettings({ url: 'http://127.0.0.1:54321', key: 'k', maxMessages: 0 })).toEqual([expect.objectContaining({ field: 'maxMessages', code: 'OUT_OF_RANGE' })])
  })
})

describe('WeWeb export', () => {
  const config = toWewebConfig()

  it('has the ww-config shape for actions, triggers and variables', () => {
    expect(config.actions.map((a) => [a.name, a.code, a.isAsync])).toEqual([
      ['Realtime | Subscribe to channel', 'subscribe', true],
      ['Realtime | Broadcast a message', 'broadcast', true],
      ['Realtime | Presence state', 'presence', true],
      ['Realtime | Unsubscribe', 'unsubscribe', true],
      ['Realtime | Share cursor', 'shareCursor', true],
      ['Realtime | Stop cursor', 'stopCursor', true],
      ['Realtime | Set live state', 'setLiveState', true],
    ])
    expect(config.triggers[0]).toMatchObject({ label: 'On realtime broadcast', value: 'broadcast', event: TRIGGERS.broadcast.sampleEvent })
    expect(config.triggers[0]?.conditions).toEqual([
      { name: 'Channel', key: 'channel', placeholder: 'Default: All channels', type: 'Text' },
      { name: 'Event', key: 'event', placeholder: 'Default: All events', type: 'Text' },
    ])
    expect(config.triggers[1]?.conditions[1]).toMatchObject({ key: 'event', type: 'TextSelect' })
    expect(config.variables.map((v) => v.name)).toEqual(['connection', 'channels', 'messages', 'presence', 'changes', 'collections', 'cursors', 'liveState'])
    expect(config.variables[0]).toMatchObject({ value: 'connection', type: 'object', defaultValue: { status: 'idle' } })
  })

  it('computes validity with the runtime validators', () => {
    const subscribe = config.actions[0]
    expect(subscribe?.getIsValid({ channel: 'chat' })).toBe(true)
    expect(subscribe?.getIsValid({ channel: '' })).toBe(false)
    expect(subscribe?.getIsValid({ channel: 'c', postgresChanges: [{ table: 't', filter: 'bad' }] })).toBe(false)
    expect(config.editor.settings[0]?.getIsValid({ publicData: { url: 'https://x.supabase.co', key: 'k' } })).toBe(true)
    expect(config.editor.settings[0]?.getIsValid({ publicData: {} })).toBe(false)
  })

  it('gives the copilot a schema for every field', () => {
    const subscribe = config.actions[0]
    expect(Object.keys(subscribe?.copilot.schema ?? {})).toEqual(['channel', 'private', 'broadcast.self', 'broadcast.ack', 'presence.enabled', 'presence.key', 'postgresChanges', 'timeoutMs'])
    expect(subscribe?.copilot.schema['postgresChanges']?.type).toBe('array')
  })
})
