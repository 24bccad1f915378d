import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LiveSender } from '../../../../src/core/live/live-sender'
import type { LiveMessage } from '../../../../src/core/live/live-wire'

function sender(intervalMs = 50) {
  const sent: LiveMessage[] = []
  let online = true
  const s = new LiveSender(
    {
      identity: () => ({ id: 'me', key: 'user-me' }),
      send: (message) => {
        if (!online) return false
        sent.push(message)
        return true
      },
    },
    intervalMs,
  )
  return { s, sent, setOnline: (value: boolean) => (online = value) }
}

describe('LiveSender', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000_000_000 })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('sends at most one message per interval, holding every sample since the last one with its age', () => {
    const { s, sent } = sender(50)
    s.shareCursor('Ada', 'red')
    s.move(0.1, 0.1)
    vi.advanceTimersByTime(0)
    expect(sent).toHaveLength(1)
    for (const x of [0.11, 0.12, 0.13, 0.14, 0.15, 0.16]) {
      vi.advanceTimersByTime(16)
      s.move(x, 0.2)
    }
    vi.advanceTimersByTime(100)
    expect(sent).toHaveLength(3)
    const samples = sent.flatMap((m) => m.cursor?.samples ?? [])
    expect(samples.map((p) => p.x)).toEqual([0.1, 0.11, 0.12, 0.13, 0.14, 0.15, 0.16])
    const second = sent[1]!.cursor!.samples
    expect(second.map((p) => p.age)).toEqual([...second.map((p) => p.age)].sort((a, b) => b - a))
    expect(second.map((p) => p.age)).toEqual([34, 18, 2])
  })

  it('sends nothing while nothing moves', () => {
    const { s, sent } = sender()
    s.shareCursor('Ada', 'red')
    vi.advanceTimersByTime(5000)
    expect(sent).toEqual([])
  })

  it('keeps only the latest live state when it changes many times within an interval', () => {
    const { s, sent } = sender(50)
    for (let i = 0; i < 60; i++) {
      s.setState({ value: i })
      vi.advanceTimersByTime(1000 / 60)
    }
    vi.advanceTimersByTime(100)
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(1000 / 50) + 1)
    expect(sent[sent.length - 1]!.state).toEqual({ value: 59 })
  })

  it('drops samples taken while the channel cannot send, and never replays them later', () => {
    const { s, sent, setOnline } = sender(50)
    s.shareCursor('Ada', 'red')
    setOnline(false)
    s.move(0.5, 0.5)
    vi.advanceTimersByTime(60)
    s.move(0.6, 0.6)
    vi.advanceTimersByTime(60)
    setOnline(true)
    s.move(0.9, 0.9)
    vi.advanceTimersByTime(60)
    expect(sent.flatMap((m) => m.cursor?.samples.map((p) => p.x) ?? [])).toEqual([0.9])
  })

  it('sends the latest state again after an outage, once', () => {
    const { s, sent, setOnline } = sender(50)
    setOnline(false)
    s.setState({ slider: 3 })
    vi.advanceTimersByTime(60)
    setOnline(true)
    s.resendAll()
    vi.advanceTimersByTime(60)
    expect(sent.map((m) => m.state)).toEqual([{ slider: 3 }])
  })

  it('tells the others once when the cursor stops, and ignores moves afterwards', () => {
    const { s, sent } = sender(50)
    s.shareCursor('Ada', 'red')
    s.move(0.1, 0.1)
    vi.advanceTimersByTime(60)
    s.stopCursor()
    s.move(0.2, 0.2)
    vi.advanceTimersByTime(200)
    expect(sent.map((m) => m.cursor === null)).toEqual([false, true])
  })

  it('merges samples closer than a few milliseconds, the later position winning', () => {
    const { s, sent } = sender(50)
    s.shareCursor('Ada', 'red')
    s.move(0.1, 0.1)
    s.move(0.2, 0.2)
    vi.advanceTimersByTime(0)
    expect(sent[0]!.cursor!.samples).toEqual([{ x: 0.2, y: 0.2, age: 0 }])
  })

  it('resends the last position with a new label, without any move', () => {
    const { s, sent } = sender(50)
    s.shareCursor('Ada', 'red')
    s.move(0.3, 0.4)
    vi.advanceTimersByTime(60)
    s.shareCursor('Ada L.', 'red')
    vi.advanceTimersByTime(60)
    expect(sent[1]!.cursor).toEqual({ label: 'Ada L.', color: 'red', samples: [{ x: 0.3, y: 0.4, age: 0 }] })
  })
})
