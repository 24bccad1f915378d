/**
 * The local `/auth/v1` through supabase-js's own auth client: sign-up, password sign-in, refresh
 * with rotation, user, sign-out and the admin API, plus bad input answered with Supabase Auth's
 * status and error code, nothing stored, and the server still serving.
 */
import { randomUUID } from 'node:crypto'
import { AuthApiError, AuthWeakPasswordError, type SupabaseClient } from '@supabase/supabase-js'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RealtimeServer } from '../../server/index'
import type { RealtimeLogger } from '../../server/logger'
import { createTestClient } from '../helpers/server-fixture'
import { startDatabaseStand, type DatabaseStand } from './db-helpers'

let stand: DatabaseStand
let server: RealtimeServer
let sql: pg.Client
const logged: string[] = []
const logger: RealtimeLogger = {
  error: (message, meta) => logged.push(`${message} ${JSON.stringify(meta ?? {})}`),
  warn: (message, meta) => logged.push(`${message} ${JSON.stringify(meta ?? {})}`),
  info: (message, meta) => logged.push(`${message} ${JSON.stringify(meta ?? {})}`),
}

/** A supabase-js client with its own auth session (kept in memory, refreshed only when asked). */
function client(key = server.anonKey): SupabaseClient {
  return createTestClient(server, { key })
}

const email = () => `user-${randomUUID().slice(0, 8)}@example.com`
const userCount = async () => Number((await sql.query<{ n: string }>('select count(*) as n from auth.users')).rows[0]?.n)

async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.url}/auth/v1${path}`, {
    method: 'POST',
    headers: { apikey: server.anonKey, 'content-type': 'application/json', 'x-supabase-api-version': '2024-01-01', ...headers },
    body,
  })
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

beforeAll(async () => {
  stand = await startDatabaseStand({ server: { logger, refreshTokenReuseInterval: 1 } })
  ;({ server, sql } = stand)
})

afterAll(async () => {
  await stand?.stop()
})

describe('sign-up and sign-in', () => {
  it('signs up a confirmed user with a session, and signs in with the password', async () => {
    const address = email()
    const supabase = client()
    const signUp = await supabase.auth.signUp({ email: address, password: 'correct horse', options: { data: { name: 'Ada' } } })
    expect(signUp.error).toBeNull()
    expect(signUp.data.user).toMatchObject({ email: address, aud: 'authenticated', role: 'authenticated', app_metadata: { provider: 'email', providers: ['email'] } })
    expect(signUp.data.user?.user_metadata).toMatchObject({ name: 'Ada', email: address, email_verified: true, sub: signUp.data.user?.id })
    expect(signUp.data.user?.email_confirmed_at).toBeTruthy()
    expect(signUp.data.session).toMatchObject({ token_type: 'bearer', expires_in: 3600 })
    const signIn = await client().auth.signInWithPassword({ email: address.toUpperCase(), password: 'correct horse' })
    expect(signIn.error).toBeNull()
    expect(signIn.data.user?.id).toBe(signUp.data.user?.id)
    expect(signIn.data.session?.refresh_token).toMatch(/^[A-Za-z0-9]{12}$/)
  })

  it('signs access tokens with Supabase claims that the server verifies', async () => {
    const supabase = client()
    const { data } = await supabase.auth.signUp({ email: email(), password: 'secret-6' })
    const token = data.session?.access_token ?? ''
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>
    expect(claims).toMatchObject({ sub: data.user?.id, role: 'authenticated', aud: 'authenticated', email: data.user?.email, aal: 'aal1', is_anonymous: false })
    expect(claims.exp).toBe((claims.iat as number) + 3600)
    expect(claims.session_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(claims.amr).toEqual([{ method: 'password', timestamp: expect.any(Number) }])
    expect(claims.app_metadata).toEqual({ provider: 'email', providers: ['email'] })
  })

  it('keeps only a slow salted hash of the password, and never logs it', async () => {
    const address = email()
    await client().auth.signUp({ email: address, password: 'never-in-clear' })
    await client().auth.signInWithPassword({ email: address, password: 'wrong-password' })
    const { rows } = await sql.query<{ encrypted_password: string }>('select encrypted_password from auth.users where email = $1', [address])
    expect(rows[0]?.encrypted_password).toMatch(/^\$scrypt\$N=16384,r=8,p=1\$/)
    expect(rows[0]?.encrypted_password).not.toContain('never-in-clear')
    expect(logged.join('\n')).not.toContain('never-in-clear')
    expect(logged.join('\n')).not.toContain('wrong-password')
  })

  it('answers a wrong password and an unknown user alike: 400 invalid_credentials', async () => {
    const address = email()
    await client().auth.signUp({ email: address, password: 'right-one' })
    for (const attempt of [{ email: address, password: 'wrong-one' }, { email: email(), password: 'right-one' }]) {
      const { data, error } = await client().auth.signInWithPassword(attempt)
      expect(error).toBeInstanceOf(AuthApiError)
      expect(error).toMatchObject({ status: 400, code: 'invalid_credentials', message: 'Invalid login credentials' })
      expect(data.session).toBeNull()
    }
  })

  it('refuses a duplicate email (422 user_already_exists) and a weak password (422 weak_password), storing nothing', async () => {
    const address = email()
    await client().auth.signUp({ email: address, password: 'first-password' })
    const before = await userCount()
    const duplicate = await client().auth.signUp({ email: address.toUpperCase(), password: 'second-password' })
    expect(duplicate.error).toMatchObject({ status: 422, code: 'user_already_exists', message: 'User already registered' })
    const weak = await client().auth.signUp({ email: email(), password: '12345' })
    expect(weak.error).toBeInstanceOf(AuthWeakPasswordError)
    expect(weak.error).toMatchObject({ status: 422, code: 'weak_password', reasons: ['length'], message: 'Password should be at least 6 characters.' })
    const badEmail = await client().auth.signUp({ email: 'not-an-email', password: 'long-enough' })
    expect(badEmail.error).toMatchObject({ status: 400, code: 'email_address_invalid' })
    expect(await userCount()).toBe(before)
    const signIn = await client().auth.signInWithPassword({ email: address, password: 'first-password' })
    expect(signIn.error).toBeNull()
  })

  it('answers malformed JSON with 400 bad_json and a huge body with 413, and keeps serving', async () => {
    const before = await userCount()
    expect(await post('/signup', '{"email": "x@example.com", "password": ')).toMatchObject({ status: 400, json: { code: 'bad_json' } })
    expect(await post('/token?grant_type=password', 'not json')).toMatchObject({ status: 400, json: { code: 'bad_json' } })
    const huge = JSON.stringify({ email: email(), password: 'long-enough', data: { blob: 'x'.repeat(2_000_000) } })
    expect(await post('/signup', huge)).toMatchObject({ status: 413, json: { code: 'request_entity_too_large' } })
    expect(await post('/signup', '{"email": 42, "password": "long-enough"}')).toMatchObject({ status: 400, json: { code: 'bad_json' } })
    expect(await userCount()).toBe(before)
    const legacy = await post('/token?grant_type=password', 'not json', { 'x-supabase-api-version': '' })
    expect(legacy).toMatchObject({ status: 400, json: { code: 400, error_code: 'bad_json' } })
    const { error } = await client().auth.signUp({ email: email(), password: 'still-serving' })
    expect(error).toBeNull()
  })

  it('names the features it lacks and points to a Supabase project', async () => {
    const supabase = client()
    const otp = await supabase.auth.signInWithOtp({ email: email() })
    expect(otp.error).toMatchObject({ status: 404, code: 'feature_disabled' })
    expect(otp.error?.message).toMatch(/^Magic links and one-time passwords: not available on the local server.*Supabase project/)
    const recover = await supabase.auth.resetPasswordForEmail(email())
    expect(recover.error?.message).toMatch(/^Password recovery emails: not available/)
    const phone = await supabase.auth.signUp({ phone: '+15555550100', password: 'long-enough' })
    expect(phone.error?.message).toMatch(/^Sign-up with a phone number: not available/)
    expect((await supabase.auth.signInAnonymously()).error?.message).toMatch(/^Anonymous sign-ins: not available/)
    expect((await post('/factors', '{}')).json.message).toMatch(/^Multi-factor authentication \(MFA\): not available/)
    const authorize = await fetch(`${server.url}/auth/v1/authorize?provider=github`)
    expect(authorize.status).toBe(404)
    expect(((await authorize.json()) as { msg: string }).msg).toMatch(/^Sign-in with an OAuth provider: not available/)
  })

  it('answers /settings and /health', async () => {
    const settings = (await (await fetch(`${server.url}/auth/v1/settings`)).json()) as Record<string, unknown>
    expect(settings).toMatchObject({ external: { email: true, phone: false }, disable_signup: false, mailer_autoconfirm: true })
    expect((await fetch(`${server.url}/auth/v1/health`)).status).toBe(200)
  })
})

describe('refresh tokens', () => {
  it('rotates the refresh token on each refresh and keeps the user', async () => {
    const supabase = client()
    const { data } = await supabase.auth.signUp({ email: email(), password: 'rotate-me' })
    const first = data.session?.refresh_token
    const refreshed = await supabase.auth.refreshSession()
    expect(refreshed.error).toBeNull()
    expect(refreshed.data.session?.refresh_token).not.toBe(first)
    expect(refreshed.data.user?.id).toBe(data.user?.id)
    const { rows } = await sql.query('select token, revoked, parent from auth.refresh_tokens where session_id = (select session_id from auth.refresh_tokens where token = $1) order by id', [first])
    expect(rows).toEqual([
      { token: first, revoked: true, parent: null },
      { token: refreshed.data.session?.refresh_token, revoked: false, parent: first },
    ])
  })

  it('gives the active token back for its parent, accepts reuse within the interval, and revokes the session after it', async () => {
    const supabase = client()
    const { data } = await supabase.auth.signUp({ email: email(), password: 'reuse-me' })
    const parent = data.session?.refresh_token ?? ''
    const child = (await client().auth.refreshSession({ refresh_token: parent })).data.session?.refresh_token
    // The client that missed the answer asks again with the parent: the active child comes back.
    expect((await client().auth.refreshSession({ refresh_token: parent })).data.session?.refresh_token).toBe(child)
    await client().auth.refreshSession({ refresh_token: child ?? '' })
    // Within the reuse interval (1 s here; 10 s by default) a revoked token still refreshes (concurrent refreshes).
    const concurrent = await client().auth.refreshSession({ refresh_token: child ?? '' })
    expect(concurrent.error).toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 1_600))
    const reused = await client().auth.refreshSession({ refresh_token: parent })
    expect(reused.error).toMatchObject({ status: 400, code: 'refresh_token_already_used', message: 'Invalid Refresh Token: Already Used' })
    // The whole family is revoked: the latest token of the session no longer refreshes either.
    const latest = await client().auth.refreshSession({ refresh_token: concurrent.data.session?.refresh_token ?? '' })
    expect(latest.error).toMatchObject({ status: 400, code: 'session_expired' })
  })

  it('refuses a forged refresh token (400 refresh_token_not_found) and an empty one', async () => {
    const forged = await client().auth.refreshSession({ refresh_token: 'abcdefghijkl' })
    expect(forged.error).toMatchObject({ status: 400, code: 'refresh_token_not_found', message: 'Invalid Refresh Token: Refresh Token Not Found' })
    expect(await post('/token?grant_type=refresh_token', '{}')).toMatchObject({ status: 400, json: { error: 'invalid_request', error_description: 'refresh_token required' } })
    expect(await post('/token?grant_type=nonsense', '{}')).toMatchObject({ status: 400, json: { code: 'invalid_credentials', message: 'unsupported_grant_type' } })
  })
})

describe('the signed-in user', () => {
  it('reads and updates the user metadata', async () => {
    const supabase = client()
    await supabase.auth.signUp({ email: email(), password: 'metadata', options: { data: { name: 'Ada', team: 'a' } } })
    const updated = await supabase.auth.updateUser({ data: { name: 'Grace', team: null } })
    expect(updated.error).toBeNull()
    expect(updated.data.user?.user_metadata).toMatchObject({ name: 'Grace' })
    expect(updated.data.user?.user_metadata).not.toHaveProperty('team')
    const { data } = await supabase.auth.getUser()
    expect(data.user?.user_metadata.name).toBe('Grace')
  })

  it('changes the password, refusing a weak one', async () => {
    const address = email()
    const supabase = client()
    await supabase.auth.signUp({ email: address, password: 'old-password' })
    expect((await supabase.auth.updateUser({ password: 'new' })).error).toMatchObject({ status: 422, code: 'weak_password' })
    expect((await supabase.auth.updateUser({ password: 'old-password' })).error).toMatchObject({ status: 422, code: 'same_password' })
    expect((await supabase.auth.updateUser({ password: 'new-password' })).error).toBeNull()
    expect((await client().auth.signInWithPassword({ email: address, password: 'old-password' })).error?.code).toBe('invalid_credentials')
    expect((await client().auth.signInWithPassword({ email: address, password: 'new-password' })).error).toBeNull()
  })

  it('signs out: the session ends and its refresh tokens stop working', async () => {
    const supabase = client()
    const { data } = await supabase.auth.signUp({ email: email(), password: 'sign-me-out' })
    const token = data.session?.access_token ?? ''
    const refresh = data.session?.refresh_token ?? ''
    expect((await supabase.auth.signOut()).error).toBeNull()
    expect((await supabase.auth.getSession()).data.session).toBeNull()
    expect((await client().auth.refreshSession({ refresh_token: refresh })).error).toMatchObject({ status: 400, code: 'refresh_token_not_found' })
    // Supabase Auth answers 403 session_not_found, which supabase-js reports as a missing session.
    const user = await client().auth.getUser(token)
    expect(user.error?.name).toBe('AuthSessionMissingError')
    const raw = await fetch(`${server.url}/auth/v1/user`, { headers: { authorization: `Bearer ${token}`, 'x-supabase-api-version': '2024-01-01' } })
    expect(raw.status).toBe(403)
    expect(await raw.json()).toMatchObject({ code: 'session_not_found' })
  })

  it('signs out one session only with scope local', async () => {
    const address = email()
    await client().auth.signUp({ email: address, password: 'two-sessions' })
    const first = client()
    const second = client()
    await first.auth.signInWithPassword({ email: address, password: 'two-sessions' })
    await second.auth.signInWithPassword({ email: address, password: 'two-sessions' })
    await first.auth.signOut({ scope: 'local' })
    expect((await second.auth.getUser()).error).toBeNull()
    expect((await second.auth.refreshSession()).error).toBeNull()
  })

  it('answers a request without a bearer token (401 no_authorization) or with a bad one (403 bad_jwt)', async () => {
    const noBearer = await fetch(`${server.url}/auth/v1/user`, { headers: { 'x-supabase-api-version': '2024-01-01' } })
    expect(noBearer.status).toBe(401)
    expect(await noBearer.json()).toMatchObject({ code: 'no_authorization' })
    const forged = await client().auth.getUser('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl')
    expect(forged.error).toMatchObject({ status: 403, code: 'bad_jwt' })
    const anon = await client().auth.getUser(server.anonKey)
    expect(anon.error).toMatchObject({ status: 403, code: 'bad_jwt', message: 'invalid claim: missing sub claim' })
  })
})

describe('admin API', () => {
  it('creates, lists, reads, updates and deletes users with the service key', async () => {
    const admin = client(server.serviceRoleKey).auth.admin
    const address = email()
    const created = await admin.createUser({ email: address, password: 'admin-made', email_confirm: true, user_metadata: { name: 'Made' }, app_metadata: { plan: 'pro' } })
    expect(created.error).toBeNull()
    expect(created.data.user).toMatchObject({ email: address, user_metadata: { name: 'Made' }, app_metadata: { provider: 'email', plan: 'pro' } })
    const id = created.data.user?.id ?? ''
    expect((await client().auth.signInWithPassword({ email: address, password: 'admin-made' })).error).toBeNull()
    const listed = await admin.listUsers({ page: 1, perPage: 2 })
    expect(listed.error).toBeNull()
    expect(listed.data.users).toHaveLength(2)
    expect(listed.data).toMatchObject({ total: await userCount(), nextPage: 2 })
    expect(listed.data.users[0]?.id).toBe(id)
    expect((await admin.getUserById(id)).data.user?.email).toBe(address)
    expect((await admin.updateUserById(id, { user_metadata: { name: 'Renamed' } })).data.user?.user_metadata.name).toBe('Renamed')
    expect((await admin.deleteUser(id)).error).toBeNull()
    expect((await admin.getUserById(id)).error).toMatchObject({ status: 404, code: 'user_not_found' })
    expect((await client().auth.signInWithPassword({ email: address, password: 'admin-made' })).error?.code).toBe('invalid_credentials')
  })

  it('leaves a user created without email_confirm unconfirmed, as Supabase does', async () => {
    const address = email()
    const created = await client(server.serviceRoleKey).auth.admin.createUser({ email: address, password: 'not-confirmed' })
    expect(created.data.user?.email_confirmed_at).toBeUndefined()
    const signIn = await client().auth.signInWithPassword({ email: address, password: 'not-confirmed' })
    expect(signIn.error).toMatchObject({ status: 400, code: 'email_not_confirmed' })
  })

  it('refuses a duplicate email (422 email_exists), and anyone without the service key (403 not_admin)', async () => {
    const admin = client(server.serviceRoleKey).auth.admin
    const address = email()
    await admin.createUser({ email: address, password: 'first-one' })
    expect((await admin.createUser({ email: address, password: 'second-one' })).error).toMatchObject({ status: 422, code: 'email_exists' })
    const user = client()
    await user.auth.signUp({ email: email(), password: 'just-a-user' })
    expect((await user.auth.admin.listUsers()).error).toMatchObject({ status: 403, code: 'not_admin' })
    expect((await client().auth.admin.createUser({ email: email() })).error).toMatchObject({ status: 403, code: 'not_admin' })
  })
})
