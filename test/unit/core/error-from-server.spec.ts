import { describe, expect, it } from 'vitest'
import { errorFromServerReason } from '../../../src/core/error-from-server'
import { RealtimePluginError, invalidInput, toPluginError } from '../../../src/core/errors'

describe('errorFromServerReason', () => {
  it.each([
    ['Unauthorized: You do not have permissions to read from this Channel topic: secret', 'join', 'PRIVATE_CHANNEL_DENIED', 'private'],
    ['PrivateOnly: This project only allows private channels', 'join', 'PRIVATE_ONLY', 'private'],
    ['ChannelRateLimitReached: Too many channels', 'join', 'TOO_MANY_CHANNELS', null],
    ['ClientJoinRateLimitReached: Too many joins per second', 'join', 'RATE_LIMITED', null],
    ['Too many messages per second', 'close', 'RATE_LIMITED', null],
    ['Client presence rate limit exceeded', 'close', 'RATE_LIMITED', null],
    ['Token has expired 5 seconds ago', 'close', 'AUTH_FAILED', null],
    ['InvalidJWTToken: Token has expired 12 seconds ago', 'join', 'AUTH_FAILED', null],
    ['mismatch between server and client bindings for postgres changes', 'join', 'DATABASE_SUBSCRIBE_FAILED', 'postgresChanges'],
    ['Error parsing `filter` params: ["wrong"]', 'database', 'DATABASE_SUBSCRIBE_FAILED', 'postgresChanges'],
    ['socket closed: 1006', 'transport', 'CONNECTION_LOST', null],
    ['UnableToConnectToProject: Realtime was unable to connect to the project database', 'join', 'DATABASE_UNAVAILABLE', null],
    ['Track message size exceeded', 'close', 'PAYLOAD_TOO_LARGE', null],
    ['something new', 'close', 'CHANNEL_CLOSED', null],
    ['something new', 'join', 'SUBSCRIBE_FAILED', null],
  ] as const)('maps "%s" (%s) to %s', (reason, source, code, field) => {
    const error = errorFromServerReason(reason, { channel: 'chat', source })
    expect(error).toBeInstanceOf(RealtimePluginError)
    expect(error.code).toBe(code)
    expect(error.field).toBe(field)
    expect(error.message).toContain(reason)
    expect(error.details).toMatchObject({ reason, channel: 'chat' })
    expect(error.fix.length).toBeGreaterThan(20)
  })

  it('names the topic in the policy advice for a private channel', () => {
    const error = errorFromServerReason('Unauthorized: You do not have permissions to read from this Channel topic: room-7', { channel: 'room-7', source: 'join' })
    expect(error.fix).toContain("realtime.topic()) = 'room-7'")
  })
})

describe('RealtimePluginError', () => {
  it('serializes to code, field, message and fix', () => {
    const error = invalidInput([{ field: 'channel', code: 'REQUIRED', message: 'Channel name is required.', fix: 'Enter a channel name, e.g. chat.' }])
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'RealtimePluginError',
      code: 'INVALID_INPUT',
      field: 'channel',
      message: 'Channel name is required.',
      fix: 'Enter a channel name, e.g. chat.',
      details: { issues: [{ field: 'channel', code: 'REQUIRED', message: 'Channel name is required.', fix: 'Enter a channel name, e.g. chat.' }] },
    })
    expect(error.issues).toHaveLength(1)
  })

  it('mentions further problems in the message', () => {
    const error = invalidInput([
      { field: 'channel', code: 'REQUIRED', message: 'Channel name is required.', fix: 'x' },
      { field: 'event', code: 'REQUIRED', message: 'Event name is required.', fix: 'y' },
    ])
    expect(error.message).toBe('Channel name is required. (and 1 more problem)')
  })

  it('wraps unknown errors and keeps the cause', () => {
    const cause = new TypeError('boom')
    const error = toPluginError(cause, 'SEND_FAILED')
    expect(error.code).toBe('SEND_FAILED')
    expect(error.cause).toBe(cause)
    expect(toPluginError(error)).toBe(error)
  })
})
