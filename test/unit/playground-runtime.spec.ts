import { afterEach, describe, expect, it } from 'vitest'
import type { PluginManifest, ValidationIssue } from '../../editor-config/manifest-types'
import type { KeyValueStorage } from '../../playground/engine/autosave'
import { supportChatApp } from '../../playground/engine/support-chat-app'
import { createPlayground, type Playground } from '../../playground/runtime/create-playground'
import { matchConditions } from '../../src/index'
import type { ConnectionSettings, EmittedTrigger, PluginSession } from '../../playground/runtime/plugin-session'

const manifest: PluginManifest = {
  name: 'test',
  version: '0',
  settings: [],
  actions: [
    { id: 'subscribe', name: 'Realtime | Subscribe', label: 'Subscribe to channel', description: '', isAsync: true, sampleResult: null, fields: [{ name: 'channel', type: 'text', label: 'Channel', tooltip: '', required: true, bindable: true }, { name: 'presence.enabled', type: 'boolean', label: 'Presence', tooltip: '', required: false, bindable: true }, { name: 'broadcast.self', type: 'boolean', label: 'Self', tooltip: '', required: false, bindable: true }, { name: 'postgresChanges', type: 'list', label: 'Database changes', tooltip: '', required: false, bindable: true }] },
    { id: 'presence', name: 'Realtime | Presence', label: 'Presence state', description: '', isAsync: true, sampleResult: null, fields: [{ name: 'channel', type: 'text', label: 'Channel', tooltip: '', required: true, bindable: true }, { name: 'action', type: 'select', label: 'Action', tooltip: '', required: true, bindable: true }, { name: 'state', type: 'json', label: 'State', tooltip: '', required: false, bindable: true }] },
    { id: 'broadcast', name: 'Realtime | Broadcast', label: 'Broadcast a message', description: '', isAsync: true, sampleResult: null, fields: [{ name: 'channel', type: 'text', label: 'Channel', tooltip: '', required: true, bindable: true }, { name: 'event', type: 'text', label: 'Event', tooltip: '', required: true, bindable: true }, { name: 'payload', type: 'json', label: 'Payload', tooltip: '', required: false, bindable: true }] },
  ],
  triggers: [{ id: 'broadcast', label: 'On realtime broadcast', description: '', conditions: [{ key: 'channel', label: 'Channel', type: 'text', placeholder: '' }], sampleEvent: {} }],
  variables: [],
}

/** A session over plain data: records what was executed, lets the test emit triggers. */
function fakeSession() {
  const executed: Array<{ actionId: string; input: Record<string, unknown> }> = []
  let emit: (trigger: EmittedTrigger) => void = () => undefined
  const disposed: string[] = []
  const factory = (settings: ConnectionSettings, onTrigger: (trigger: EmittedTrigger) => void): PluginSession => {
    emit = onTrigger
    return {
      manifest,
      readVariables: () => ({ presence: { chat: { count: 2 } } }),
      execute: (actionId, input) => {
        executed.push({ actionId, input })
        return Promise.resolve({ status: 'ok' })
      },
      validate: (_id, input): ValidationIssue[] => (input.channel === '' ? [{ field: 'channel', code: 'REQUIRED', message: 'Channel name is required.', fix: 'Enter a channel name.' }] : []),
      dispose: () => {
        disposed.push(settings.url)
        return Promise.resolve()
      },
    }
  }
  return { factory, executed, disposed, emit: (t: Omit<EmittedTrigger, 'at'>) => emit({ ...t, at: Date.now() }) }
}

function memoryStorage(): KeyValueStorage {
  const data = new Map<string, string>()
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) }
}

describe('matchConditions (the one matcher every host uses, the playground included)', () => {
  it.each([
    [{ channel: 'chat', event: 'message' }, { channel: 'chat', event: 'message' }, true],
    [{ channel: 'chat', event: null }, { channel: 'chat', event: 'typing' }, true],
    [{ channel: '', event: 'message' }, { channel: 'other', event: 'message' }, true],
    [{ channel: 'chat' }, { channel: 'other', event: 'message' }, false],
    [{ status: 'SUBSCRIBED' }, { channel: 'chat' }, false],
    [{}, { channel: 'x' }, true],
    [{ channel: ' Chat ' }, { channel: 'chat' }, true],
    [{ channel: '*' }, { channel: 'anything' }, true],
    [{ count: '3', ok: 'true' }, { count: 3, ok: true }, true],
  ])('matches %j against %j: %s', (wanted, emitted, expected) => {
    expect(matchConditions(wanted, emitted)).toBe(expected)
  })
})

describe('createPlayground', () => {
  let playground: Playground | undefined
  afterEach(async () => {
    await playground?.dispose()
  })

  it('runs page-load workflows on start and page workflows on their event', async () => {
    const fake = fakeSession()
    playground = createPlayground({ storage: memoryStorage(), defaults: { url: 'http://local', key: 'k' }, createSession: fake.factory })
    await playground.start()
    expect(fake.executed.map((e) => e.input.channel)).toEqual(['todos'])
    playground.inputs.name = 'Ada'
    await playground.runPageEvent('support-click')
    expect(fake.executed.slice(1)).toEqual([
      { actionId: 'subscribe', input: { channel: 'chat', presence: { enabled: true }, broadcast: { self: true } } },
      { actionId: 'presence', input: { channel: 'chat', action: 'track', state: { name: 'Ada' } } },
    ])
  })

  it('appends incoming broadcasts to the chat log through the app workflow', async () => {
    const fake = fakeSession()
    playground = createPlayground({ storage: memoryStorage(), defaults: { url: 'http://local', key: 'k' }, createSession: fake.factory })
    await playground.start()
    fake.emit({ triggerId: 'broadcast', event: { channel: 'chat', event: 'message', payload: { name: 'Bo', text: 'hi' }, self: false }, conditions: { channel: 'chat', event: 'message' } })
    fake.emit({ triggerId: 'broadcast', event: { channel: 'chat', event: 'typing', payload: { name: 'Bo' }, self: false }, conditions: { channel: 'chat', event: 'typing' } })
    fake.emit({ triggerId: 'broadcast', event: { channel: 'other', event: 'message', payload: { text: 'no' } }, conditions: { channel: 'other', event: 'message' } })
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(playground.appVariables.value.chatLog).toEqual([{ name: 'Bo', text: 'hi', self: false }])
    expect(playground.triggers.value).toHaveLength(3)
    expect(playground.scope().variables).toMatchObject({ presence: { chat: { count: 2 } }, chatLog: [{ text: 'hi' }] })
  })

  it('keeps the failure of a run with an invalid field and executes nothing', async () => {
    const fake = fakeSession()
    playground = createPlayground({ storage: memoryStorage(), defaults: { url: 'http://local', key: 'k' }, createSession: fake.factory })
    const app = supportChatApp()
    const send = app.workflows.find((w) => w.id === 'send-message')
    const step = send?.steps[0]
    if (step?.type !== 'action') throw new Error('fixture')
    step.values.channel = { mode: 'static', value: '' }
    await playground.start()
    expect(playground.importDefinition(JSON.stringify(app))).toBeNull()
    fake.executed.length = 0
    playground.inputs.message = 'hello'
    await playground.runPageEvent('send-click')
    expect(fake.executed).toEqual([])
    expect(playground.failure.value?.failure).toMatchObject({ code: 'INVALID_INPUT', field: 'channel', stepIndex: 0 })
    expect(playground.inputs.message).toBe('hello')
  })

  it('reconnects with new settings, remembers them, and goes back to the defaults', async () => {
    const fake = fakeSession()
    const storage = memoryStorage()
    playground = createPlayground({ storage, defaults: { url: 'http://local', key: 'k' }, createSession: fake.factory })
    await playground.start()
    await playground.applySettings({ url: ' https://abc.supabase.co ', key: ' anon ' })
    expect(playground.settings.value).toEqual({ url: 'https://abc.supabase.co', key: 'anon' })
    expect(fake.disposed).toEqual(['http://local'])
    const again = createPlayground({ storage, defaults: { url: 'http://local', key: 'k' }, createSession: fake.factory })
    expect(again.settings.value.url).toBe('https://abc.supabase.co')
    await again.dispose()
    await playground.resetSettings()
    expect(playground.settings.value.url).toBe('http://local')
  })

  it('explains that the plugin is not running instead of running actions', async () => {
    playground = createPlayground({
      storage: memoryStorage(),
      defaults: { url: 'http://local', key: 'k' },
      createSession: () => {
        throw new Error('bad settings')
      },
    })
    await playground.start()
    const [run] = await playground.runPageEvent('support-click')
    expect(run?.failure).toMatchObject({ code: 'NOT_CONNECTED', stepIndex: 0 })
    expect(run?.failure?.message).toContain('bad settings')
  })

  it('refuses an invalid import and keeps the current app', () => {
    const fake = fakeSession()
    playground = createPlayground({ storage: memoryStorage(), defaults: { url: 'http://local', key: 'k' }, createSession: fake.factory })
    const problem = playground.importDefinition('{"format":"realtime-playground-app","version":1,"name":3}')
    expect(problem?.code).toBe('INVALID_APP')
    expect(playground.definition.value.name).toBe('Support chat')
  })
})
