import { describe, expect, it } from 'vitest'
import { decodeLiveMessage, encodeLiveMessage, thinSamples } from '../../../../src/core/live/live-wire'

describe('live messages', () => {
  it('round-trip through the compact payload', () => {
    const message = { id: 'tab', key: 'ada', intervalMs: 75, cursor: { label: 'Ada', color: 'red', samples: [{ x: 0.123456, y: 0.5, age: 16.4 }] }, state: { v: 1 } }
    expect(decodeLiveMessage(JSON.parse(JSON.stringify(encodeLiveMessage(message))))).toEqual({
      ...message,
      cursor: { label: 'Ada', color: 'red', samples: [{ x: 0.1235, y: 0.5, age: 16 }] },
    })
  })

  it('refuses payloads that are not live messages', () => {
    for (const payload of [null, 'x', [], { v: 2, id: 'a', k: 'b', i: 5 }, { v: 1, id: 3, k: 'b', i: 5 }, { v: 1, id: 'a', k: 'b', i: -1 }]) {
      expect(decodeLiveMessage(payload)).toBeNull()
    }
  })

  it('thins long batches evenly and keeps the newest sample', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: 0, age: 1000 - i }))
    const thin = thinSamples(samples, 100)
    expect(thin).toHaveLength(100)
    expect(thin[thin.length - 1]).toEqual(samples[999])
  })
})
