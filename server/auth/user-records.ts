import type { CallerQuery } from '../database-hooks'
import type { UserRow } from './user-json'

const SELECT_USER = /* sql */ `
  select u.id::text, u.aud, u.role, u.email, u.encrypted_password, u.email_confirmed_at, u.phone, u.phone_confirmed_at,
         u.confirmed_at, u.last_sign_in_at, u.raw_app_meta_data, u.raw_user_meta_data, u.created_at, u.updated_at,
         u.banned_until, u.is_anonymous,
         coalesce((select jsonb_agg(to_jsonb(i) order by i.created_at) from auth.identities i where i.user_id = u.id), '[]'::jsonb) as identities
    from auth.users u`

/** What a new user is made of (sign-up or the admin API). */
export interface NewUser {
  email: string
  passwordHash: string | null
  userMetadata: Record<string, unknown>
  appMetadata: Record<string, unknown>
  confirmed: boolean
  role?: string
  /** A chosen id (admin API), else a random one. */
  id?: string
}

/** The user with this (lower-case) email, deleted users excluded, or null. */
export async function findUserByEmail(query: CallerQuery, email: string): Promise<UserRow | null> {
  const { rows } = await query(`${SELECT_USER} where lower(u.email) = lower($1) and u.deleted_at is null`, [email])
  return (rows[0] as UserRow | undefined) ?? null
}

/** The user with this id, deleted users excluded, or null. */
export async function findUserById(query: CallerQuery, id: string): Promise<UserRow | null> {
  const { rows } = await query(`${SELECT_USER} where u.id = $1::uuid and u.deleted_at is null`, [id])
  return (rows[0] as UserRow | undefined) ?? null
}

/**
 * Inserts a user and its `email` identity, as Supabase Auth does: `app_metadata` gets
 * `provider`/`providers`, `user_metadata` the identity data (`email`, `email_verified`, `sub`, …).
 */
export async function insertUser(query: CallerQuery, user: NewUser): Promise<UserRow> {
  const { rows } = await query(
    `insert into auth.users (id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data)
     values (coalesce($1::uuid, gen_random_uuid()), 'authenticated', $2, $3, $4, case when $5 then now() end, $6::jsonb, '{}'::jsonb)
     returning id::text`,
    [user.id ?? null, user.role ?? 'authenticated', user.email, user.passwordHash, user.confirmed, JSON.stringify({ provider: 'email', providers: ['email'], ...user.appMetadata })],
  )
  const id = String(rows[0]?.id)
  const identityData = { sub: id, email: user.email, email_verified: user.confirmed, phone_verified: false }
  await query(
    `insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at) values ($1::text, $2::uuid, $3::jsonb, 'email', now())`,
    [id, id, JSON.stringify(identityData)],
  )
  await query(`update auth.users set raw_user_meta_data = $2::jsonb where id = $1::uuid`, [id, JSON.stringify({ ...identityData, ...user.userMetadata })])
  return (await findUserById(query, id)) as UserRow
}

/** The changes `PUT /user` and `PUT /admin/users/<id>` may make. */
export interface UserChanges {
  email?: string
  passwordHash?: string
  /** Merged into `user_metadata` (a key set to null is removed). */
  userMetadata?: Record<string, unknown>
  /** Merged into `app_metadata` (admin only). */
  appMetadata?: Record<string, unknown>
  confirmEmail?: boolean
  role?: string
}

/** Top-level merge of a JSON object into a jsonb column; keys set to null are removed (as Supabase Auth does). */
const MERGE = `(coalesce(column, '{}'::jsonb) || ?::jsonb) - coalesce((select array_agg(key) from jsonb_each(?::jsonb) where jsonb_typeof(value) = 'null'), '{}'::text[])`

/** Applies `changes` to a user and returns it as it is now. */
export async function updateUser(query: CallerQuery, id: string, changes: UserChanges): Promise<UserRow> {
  const sets: string[] = []
  const values: unknown[] = [id]
  const add = (sql: string, value: unknown) => {
    values.push(value)
    sets.push(sql.replaceAll('?', `$${values.length}`))
  }
  if (changes.email !== undefined) add('email = ?', changes.email)
  if (changes.passwordHash !== undefined) add('encrypted_password = ?', changes.passwordHash)
  if (changes.userMetadata !== undefined) add(`raw_user_meta_data = ${MERGE.replaceAll('column', 'raw_user_meta_data')}`, JSON.stringify(changes.userMetadata))
  if (changes.appMetadata !== undefined) add(`raw_app_meta_data = ${MERGE.replaceAll('column', 'raw_app_meta_data')}`, JSON.stringify(changes.appMetadata))
  if (changes.confirmEmail) sets.push('email_confirmed_at = coalesce(email_confirmed_at, now())')
  if (changes.role !== undefined) add('role = ?', changes.role)
  if (sets.length > 0) await query(`update auth.users set ${sets.join(', ')}, updated_at = now() where id = $1::uuid`, values)
  if (changes.email !== undefined) {
    await query(
      `update auth.identities set identity_data = identity_data || jsonb_build_object('email', $2::text), updated_at = now() where user_id = $1::uuid and provider = 'email'`,
      [id, changes.email],
    )
  }
  return (await findUserById(query, id)) as UserRow
}

/** Records a sign-in on the user and its email identity. */
export async function touchSignIn(query: CallerQuery, id: string): Promise<void> {
  await query(`update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1::uuid`, [id])
  await query(`update auth.identities set last_sign_in_at = now() where user_id = $1::uuid and provider = 'email'`, [id])
}

/** Deletes a user (sessions, refresh tokens and identities go with it). */
export async function deleteUser(query: CallerQuery, id: string): Promise<void> {
  await query(`delete from auth.refresh_tokens where user_id = $1`, [id])
  await query(`delete from auth.users where id = $1::uuid`, [id])
}

/** One page of users, newest first, and how many there are. */
export async function listUsers(query: CallerQuery, page: number, perPage: number): Promise<{ users: UserRow[]; total: number }> {
  const { rows } = await query(`${SELECT_USER} where u.deleted_at is null order by u.created_at desc, u.id limit $1 offset $2`, [perPage, (page - 1) * perPage])
  const count = await query(`select count(*)::int as total from auth.users where deleted_at is null`)
  return { users: rows as unknown as UserRow[], total: Number(count.rows[0]?.total ?? 0) }
}
