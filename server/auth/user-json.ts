/** A row of `auth.users` with its identities, as {@link selectUsers} reads it. */
export interface UserRow {
  id: string
  aud: string | null
  role: string | null
  email: string | null
  encrypted_password: string | null
  email_confirmed_at: Date | null
  phone: string | null
  phone_confirmed_at: Date | null
  confirmed_at: Date | null
  last_sign_in_at: Date | null
  raw_app_meta_data: Record<string, unknown> | null
  raw_user_meta_data: Record<string, unknown> | null
  created_at: Date | null
  updated_at: Date | null
  banned_until: Date | null
  is_anonymous: boolean
  identities: Array<Record<string, unknown>> | null
}

/** A user as Supabase Auth answers it (`User` of supabase-js): never the password hash. */
export type UserJson = Record<string, unknown>

const iso = (value: Date | string | null | undefined): string | undefined =>
  value === null || value === undefined ? undefined : new Date(value).toISOString()

function identityJson(identity: Record<string, unknown>): Record<string, unknown> {
  return {
    identity_id: identity.id,
    id: identity.provider_id,
    user_id: identity.user_id,
    identity_data: identity.identity_data,
    provider: identity.provider,
    last_sign_in_at: iso(identity.last_sign_in_at as string | null),
    created_at: iso(identity.created_at as string | null),
    updated_at: iso(identity.updated_at as string | null),
    email: identity.email ?? undefined,
  }
}

/** The JSON of a user, with Supabase Auth's field names and order; absent dates are left out as it does. */
export function userJson(row: UserRow): UserJson {
  const json: UserJson = {
    id: row.id,
    aud: row.aud ?? 'authenticated',
    role: row.role ?? 'authenticated',
    email: row.email ?? '',
    email_confirmed_at: iso(row.email_confirmed_at),
    phone: row.phone ?? '',
    phone_confirmed_at: iso(row.phone_confirmed_at),
    confirmed_at: iso(row.confirmed_at),
    last_sign_in_at: iso(row.last_sign_in_at),
    app_metadata: row.raw_app_meta_data ?? {},
    user_metadata: row.raw_user_meta_data ?? {},
    identities: (row.identities ?? []).map(identityJson),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    banned_until: iso(row.banned_until),
    is_anonymous: row.is_anonymous,
  }
  for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key]
  return json
}
