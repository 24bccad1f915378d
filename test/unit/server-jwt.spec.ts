import { describe, expect, it } from 'vitest'
import { claimsForOpaqueKey, createDemoKeys, signJwt, verifyJwt, verifyToken } from '../../server/jwt'
import { DEFAULT_JWT_SECRET } from '../../server/options'

const ANON =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0'
// NOTE: copies of this key with a corrupted tail (`…fsn8W8YqhI7ys`) circulate; the key `supabase start` prints
// (and the only HS256 signature of this header and payload under the default secret) ends in `fsn3W0YpN81IU`.
const SERVICE_ROLE =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU'

const NOW = 1_700_000_000_000
const secret = DEFAULT_JWT_SECRET

describe('jwt', () => {
  it('derives the well-known `supabase start` demo keys from the default secret', () => {
    expect(createDemoKeys(DEFAULT_JWT_SECRET)).toEqual({ anonKey: ANON, serviceRoleKey: SERVICE_ROLE })
  })

  it('verifies the demo keys and returns their claims', () => {
    expect(verifyJwt(ANON, secret, NOW)).toEqual({ ok: true, claims: { iss: 'supabase-demo', role: 'anon', exp: 1983812996 } })
    expect(verifyJwt(SERVICE_ROLE, secret, NOW)).toMatchObject({ ok: true, claims: { role: 'service_role' } })
  })

  it('reports an expired token with the seconds since expiry', () => {
    const token = signJwt({ role: 'authenticated', exp: NOW / 1000 - 42 }, secret)
    expect(verifyJwt(token, secret, NOW)).toEqual({ ok: false, code: 'InvalidJWTToken', message: 'Token has expired 42 seconds ago', expired: true })
  })

  it.each([
    ['role', { exp: 2e9 }],
    ['exp', { role: 'anon' }],
  ])('requires %s', (_field, claims) => {
    expect(verifyJwt(signJwt(claims, secret), secret, NOW)).toMatchObject({ ok: false, code: 'InvalidJWTToken', message: 'Fields `role` and `exp` are required in JWT' })
  })

  it('refuses a non-numeric exp', () => {
    expect(verifyJwt(signJwt({ role: 'anon', exp: 'soon' }, secret), secret, NOW)).toMatchObject({ code: 'InvalidJWTToken', message: 'Token expiration time is invalid' })
  })

  it('refuses a token signed with another secret', () => {
    expect(verifyJwt(signJwt({ role: 'anon', exp: 2e9 }, 'another-secret-another-secret-another-secret'), secret, NOW)).toMatchObject({
      code: 'JwtSignatureError',
      message: 'Failed to validate JWT signature',
    })
  })

  it.each(['', 'abc', 'a.b', 'a.b.c.d', '!!.??.##', `${Buffer.from('{').toString('base64url')}.e30.sig`])('refuses the malformed token %j', (token) => {
    expect(verifyJwt(token, secret, NOW)).toMatchObject({ code: 'MalformedJWT', message: 'The token provided is not a valid JWT' })
  })

  it('refuses algorithms it cannot verify, naming the kid', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'k1' })).toString('base64url')
    const body = Buffer.from(JSON.stringify({ role: 'anon', exp: 2e9 })).toString('base64url')
    expect(verifyJwt(`${header}.${body}.c2ln`, secret, NOW)).toMatchObject({
      code: 'JwtSignerError',
      message: 'Failed to generate JWT signer for key ID (kid) "k1", check your JWT secret or JWKS configuration',
    })
  })

  it('strips whitespace and URL-decoding before verifying', () => {
    expect(verifyJwt(` ${ANON.slice(0, 20)}\n${ANON.slice(20)} `, secret, NOW).ok).toBe(true)
  })

  it('maps opaque publishable and secret keys to anon and service_role', () => {
    expect(claimsForOpaqueKey('sb_publishable_abc')).toMatchObject({ role: 'anon' })
    expect(claimsForOpaqueKey('sb_secret_abc')).toMatchObject({ role: 'service_role' })
    expect(claimsForOpaqueKey('sb_other')).toBeNull()
    expect(verifyToken('sb_publishable_abc', secret, NOW)).toMatchObject({ ok: true, claims: { role: 'anon' } })
    expect(verifyToken('sb_other', secret, NOW)).toMatchObject({ ok: false, code: 'MalformedJWT' })
  })
})
