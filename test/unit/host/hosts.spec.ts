import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHost } from '../../../src/host/memory-host'
import { createWewebHost } from '../../../src/host/weweb-host'
import { TRIGGERS } from '../../../triggers/trigger-list'
import { toWewebConfig } from '../../../editor-config/weweb-config'
import { createWewebPlugin } from '../../../src/weweb-plugin'

describe('memory host', () => {
  it('runs the workflows whose conditions match and records every emission', () => {
    const host = createMemoryHost()
    const chat: string[] = []
    const all: string[] = []
    host.on('broadcast', { channel: 'chat', event: 'message' }, (e) => chat.push(e.id))
    const stop = host.on('broadcast', null, (e) => all.push(e.id))
    host.emitTrigger('broadcast', { ...TRIGGERS.broadcast.sampleEvent, id: '1' }, { channel: 'chat', event: 'message' })
    host.emitTrigger('broadcast', { ...TRIGGERS.broadcast.sampleEvent, id: '2', channel: 'lobby' }, { channel: 'lobby', event: 'message' })
    stop()
    host.emitTrigger('broadcast', { ...TRIGGERS.broadcast.sampleEvent, id: '3' }, { channel: 'chat', event: 'MESSAGE' })
    expect(chat).toEqual(['1', '3'])
    expect(all).toEqual(['1', '2'])
    expect(host.eventsOf('broadcast').map((e) => e.event.id)).toEqual(['1', '2', '3'])
  })

  it('keeps a bounded record and survives a failing workflow', () => {
    const host = createMemoryHost({ record: 2 })
    host.on('connection-status', null, () => {
      throw new Error('workflow bug')
    })
    for (let i = 0; i < 3; i++) host.emitTrigger('connection-status', { ...TRIGGERS['connection-status'].sampleEvent, reconnects: i }, { status: 'connected' })
    expect(host.events.map((e) => (e.event as { reconnects: number }).reconnects)).toEqual([1, 2])
    expect(host.logs.filter((l) => l.level === 'error')).toHaveLength(3)
  })
})

describe('WeWeb host', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('runs triggers and writes variables through wwLib with the plugin id prefix', () => {
    const executeTrigger = vi.fn()
    const updateValue = vi.fn()
    vi.stubGlobal('wwLib', { wwWorkflow: { executeTrigger }, wwVariable: { updateValue } })
    const host = createWewebHost('plugin-1')
    host.emitTrigger('broadcast', TRIGGERS.broadcast.sampleEvent, { channel: 'chat', event: 'message' })
    host.setVariable?.('connection', { status: 'connected', latencyMs: 3, lastError: null, reconnects: 0, connectedAt: 1 })
    expect(executeTrigger).toHaveBeenCalledWith('plugin-1-broadcast', { event: TRIGGERS.broadcast.sampleEvent, conditions: { channel: 'chat', event: 'message' } })
    expect(updateValue).toHaveBeenCalledWith('plugin-1-connection', { status: 'connected', latencyMs: 3, lastError: null, reconnects: 0, connectedAt: 1 })
  })

  it('explains itself outside WeWeb', () => {
    const host = createWewebHost('plugin-1')
    expect(() => host.emitTrigger('broadcast', TRIGGERS.broadcast.sampleEvent, { channel: 'c', event: 'e' })).toThrow(/only runs inside WeWeb/)
  })
})

describe('WeWeb plugin object', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('builds the plugin from the saved settings and runs actions by their ww-config code', async () => {
    const executeTrigger = vi.fn()
    const updateValue = vi.fn()
    vi.stubGlobal('wwLib', { wwWorkflow: { executeTrigger }, wwVariable: { updateValue } })
    const ww = createWewebPlugin()
    ww.id = 'plugin-9'
    await ww._onLoad({ publicData: { url: 'http://127.0.0.1:9', key: 'anon' } })
    expect(ww.instance?.client).not.toBeNull()
    for (const action of toWewebConfig().actions) expect(typeof ww[action.code as 'subscribe']).toBe('function')
    await expect(ww.broadcast({ channel: 'chat' })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'event' })
    await expect(ww.unsubscribe({ all: true })).resolves.toEqual({ status: 'ok' })
    await ww.instance?.dispose()
  })

  it('answers NOT_CONFIGURED with the settings advice before the URL is set', async () => {
    vi.stubGlobal('wwLib', { wwWorkflow: { executeTrigger: vi.fn() }, wwVariable: { updateValue: vi.fn() } })
    const ww = createWewebPlugin()
    await expect(ww.subscribe({ channel: 'chat' })).rejects.toMatchObject({ code: 'NOT_CONFIGURED', field: 'url' })
  })
})
