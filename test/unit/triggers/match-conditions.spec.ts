import { describe, expect, it } from 'vitest'
import { matchConditions } from '../../../triggers/trigger-list'

describe('matchConditions', () => {
  it.each([
    ['no conditions', null, { channel: 'chat', event: 'message' }, true],
    ['empty conditions', {}, { channel: 'chat', event: 'message' }, true],
    ['blank values match all', { channel: '', event: null }, { channel: 'chat', event: 'message' }, true],
    ['star matches all', { channel: '*' }, { channel: 'chat' }, true],
    ['same channel', { channel: 'chat' }, { channel: 'chat', event: 'message' }, true],
    ['other channel', { channel: 'lobby' }, { channel: 'chat', event: 'message' }, false],
    ['event is case-insensitive', { channel: 'chat', event: 'MESSAGE' }, { channel: 'chat', event: 'message' }, true],
    ['other event', { channel: 'chat', event: 'typing' }, { channel: 'chat', event: 'message' }, false],
    ['surrounding spaces in the condition', { channel: ' chat ' }, { channel: 'chat' }, true],
    ['table and event', { table: 'tickets', event: 'INSERT' }, { channel: 'c', table: 'tickets', event: 'INSERT' }, true],
    ['table mismatch', { table: 'notes', event: 'INSERT' }, { channel: 'c', table: 'tickets', event: 'INSERT' }, false],
    ['condition on a missing value', { status: 'connected' }, { channel: 'c' }, false],
  ] as const)('%s', (_label, configured, actual, expected) => {
    expect(matchConditions(configured, actual)).toBe(expected)
  })
})
