/**
 * A component bound to `useChannel(name).cursors` shows another plugin instance's pointer, through
 * the local server and the real supabase-js; the receiver runs in happy-dom with its `window`.
 */
import { enableAutoUnmount, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import type { RealtimeServer } from '../../server/index'
import { useChannel, type PointerWindow } from '../../src/index'
import { createTestPluginPool } from '../helpers/plugin-fixture'
import { startTestServer, UNTHROTTLED_LIMITS, waitFor } from '../helpers/server-fixture'

/** A window stand-in of 1000 × 500 on which the test dispatches pointer moves. */
class WindowStandIn extends EventTarget {
  readonly innerWidth = 1000
  readonly innerHeight = 500
  readonly scrollX = 0
  readonly scrollY = 0
  readonly document = { querySelector: () => null }
}

const Board = defineComponent({
  name: 'Board',
  setup() {
    const { cursors, liveState } = useChannel('board')
    return () =>
      h('div', { class: 'board' }, [
        ...cursors.value.map((c) => h('span', { class: 'cursor', key: c.key, style: { left: `${c.x * 100}%`, top: `${c.y * 100}%` } }, c.label)),
        ...liveState.value.map((s) => h('output', { key: s.key }, String(s.state['slider']))),
      ])
  },
})

let server: RealtimeServer
const plugins = createTestPluginPool()

beforeAll(async () => {
  server = await startTestServer({ limits: UNTHROTTLED_LIMITS, database: false })
})

enableAutoUnmount(afterEach)

afterEach(() => plugins.disposeAll())

afterAll(async () => {
  await server.stop()
})

describe('useChannel(name).cursors', () => {
  it("shows the other member's pointer at its relative position, and their live state", async () => {
    const viewer = plugins.create(server)
    const moverWindow = new WindowStandIn()
    const mover = plugins.create(server, { window: moverWindow as unknown as PointerWindow })
    for (const { plugin } of [viewer, mover]) await plugin.execute('subscribe', { channel: 'board' })
    const wrapper = mount(Board, { global: { plugins: [createPinia(), viewer.plugin] } })

    await mover.plugin.execute('shareCursor', { channel: 'board', label: 'Bob' })
    await mover.plugin.execute('setLiveState', { channel: 'board', state: { slider: 7 } })
    moverWindow.dispatchEvent(Object.assign(new Event('pointermove'), { clientX: 250, clientY: 400 }))

    await waitFor(() => wrapper.find('.cursor').exists(), 5000, "Bob's cursor")
    expect(wrapper.find('.cursor').text()).toBe('Bob')
    expect(wrapper.find('.cursor').attributes('style')).toContain('left: 25%')
    expect(wrapper.find('.cursor').attributes('style')).toContain('top: 80%')
    await waitFor(() => wrapper.find('output').exists(), 5000, "Bob's live state")
    expect(wrapper.find('output').text()).toBe('7')
  })
})
