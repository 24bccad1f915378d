import { afterEach, describe, expect, it, vi } from 'vitest'
import { validateSetLiveStateInput } from '../../../actions/set-live-state'
import { validateShareCursorInput } from '../../../actions/share-cursor'
import { validateStopCursorInput } from '../../../actions/stop-cursor'
import { createRealtimePlugin } from '../../../src/index'
import { createWewebPlugin } from '../../../src/weweb-plugin'

const fields = (issues: Array<{ field: string }>) => issues.map((i) => i.field)

describe('Share cursor validation', () => {
  it('accepts the channel alone', () => {
    expect(validateShareCursorInput({ channel: 'board' })).toEqual([])
  })

  it.each([15, 1001, Number.NaN, '50'])('refuses the interval %s, naming intervalMs', (intervalMs) => {
    const issues = validateShareCursorInput({ channel: 'board', intervalMs })
    expect(fields(issues)).toEqual(['intervalMs'])
    expect(issues[0]?.fix).toMatch(/16 and 1000/)
  })

  it.each([42, { name: 'Ada' }, ['Ada']])('refuses a label that is not text (%s)', (label) => {
    expect(validateShareCursorInput({ channel: 'board', label })).toMatchObject([{ field: 'label', code: 'INVALID_TYPE' }])
  })

  it('refuses an area or colour that is not text', () => {
    expect(fields(validateShareCursorInput({ channel: 'board', area: 3, color: false }))).toEqual(['area', 'color'])
  })
})

describe('Set live state validation', () => {
  it('accepts an object or null', () => {
    expect(validateSetLiveStateInput({ channel: 'board', state: { slider: 4 } })).toEqual([])
    expect(validateSetLiveStateInput({ channel: 'board', state: null })).toEqual([])
  })

  it('requires the state and refuses anything but an object', () => {
    expect(validateSetLiveStateInput({ channel: 'board' })).toMatchObject([{ field: 'state', code: 'REQUIRED' }])
    expect(validateSetLiveStateInput({ channel: 'board', state: [1] })).toMatchObject([{ field: 'state', code: 'INVALID_TYPE' }])
  })

  it('bounds the interval', () => {
    expect(fields(validateSetLiveStateInput({ channel: 'board', state: {}, intervalMs: 2000 }))).toEqual(['intervalMs'])
  })
})

describe('Stop cursor validation', () => {
  it('needs a channel name', () => {
    expect(validateStopCursorInput({})).toMatchObject([{ field: 'channel', code: 'REQUIRED' }])
  })
})

describe('live actions through the plugin', () => {
  it('throw INVALID_INPUT before anything starts', async () => {
    const plugin = createRealtimePlugin({ url: 'http://127.0.0.1:9', key: 'anon' })
    await expect(plugin.execute('shareCursor', { channel: 'board', label: 7 as unknown as string })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'label' })
    await expect(plugin.execute('shareCursor', { channel: 'board', intervalMs: 5 })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'intervalMs' })
    await expect(plugin.execute('shareCursor', { channel: 'board' })).rejects.toMatchObject({ code: 'CHANNEL_NOT_SUBSCRIBED' })
    await expect(plugin.execute('stopCursor', { channel: 'board' })).resolves.toEqual({ status: 'stopped' })
    expect(plugin.variables.cursors).toEqual({})
    expect(plugin.variables.liveState).toEqual({})
    await plugin.dispose()
  })

  it('refuses a messages-per-second budget out of bounds', async () => {
    const plugin = createRealtimePlugin({ url: 'http://127.0.0.1:9', key: 'anon', maxMessagesPerSecond: 0 })
    await expect(plugin.execute('subscribe', { channel: 'board' })).rejects.toMatchObject({ code: 'NOT_CONFIGURED', field: 'maxMessagesPerSecond' })
    await plugin.dispose()
  })
})

describe('live actions in WeWeb', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('take "Messages per second" from the settings and run Share cursor by its code', async () => {
    vi.stubGlobal('wwLib', { wwWorkflow: { executeTrigger: vi.fn() }, wwVariable: { updateValue: vi.fn() } })
    const ww = createWewebPlugin()
    ww.id = 'plugin-9'
    await ww._onLoad({ publicData: { url: 'http://127.0.0.1:9', key: 'anon', maxMessagesPerSecond: 5 } })
    await expect(ww.shareCursor({ channel: 'board' })).rejects.toMatchObject({ code: 'NOT_CONFIGURED', field: 'maxMessagesPerSecond' })
    await ww._onLoad({ publicData: { url: 'http://127.0.0.1:9', key: 'anon', maxMessagesPerSecond: 500 } })
    await expect(ww.shareCursor({ channel: 'board' })).rejects.toMatchObject({ code: 'CHANNEL_NOT_SUBSCRIBED', field: 'channel' })
    await expect(ww.stopCursor({ channel: 'board' })).resolves.toEqual({ status: 'stopped' })
    await expect(ww.setLiveState({ channel: 'board', state: 'x' })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'state' })
    await ww.dispose()
  })
})
