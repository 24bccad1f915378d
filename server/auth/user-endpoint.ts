import type { AuthAnswer, AuthContext } from './auth-context'
import { authError } from './auth-errors'
import { requireUser } from './authenticate-bearer'
import { checkEmail, checkPassword, objectField, stringField } from './check-credentials'
import { hashPassword, verifyPassword } from './password-hash'
import { unsupportedAuthFeature } from './unsupported-auth-feature'
import { findUserByEmail, updateUser, type UserChanges } from './user-records'
import { userJson } from './user-json'

/** `GET /user` (supabase-js `auth.getUser`): the signed-in user. */
export async function getUser(ctx: AuthContext): Promise<AuthAnswer> {
  const { user } = await requireUser(ctx)
  return { status: 200, body: userJson(user) }
}

/**
 * `PUT /user` (supabase-js `auth.updateUser`): `data` is merged into `user_metadata`; a new
 * `password` or `email` is applied at once (locally no confirmation email is sent).
 */
export async function putUser(ctx: AuthContext): Promise<AuthAnswer> {
  const { user } = await requireUser(ctx)
  const body = await ctx.request.json()
  if (stringField(body, 'phone') !== '') throw unsupportedAuthFeature('Phone numbers')
  if (body.app_metadata !== undefined) throw authError('appMetadataNeedsAdmin')
  const changes: UserChanges = {}
  const data = objectField(body, 'data')
  if (data) changes.userMetadata = data
  const password = stringField(body, 'password')
  if (password !== '') {
    checkPassword(password)
    if (await verifyPassword(password, user.encrypted_password)) {
      throw authError('samePassword')
    }
    changes.passwordHash = await hashPassword(password)
  }
  const rawEmail = stringField(body, 'email')
  const email = rawEmail === '' ? null : checkEmail(rawEmail)
  return ctx.run(async (query) => {
    if (email !== null && email !== user.email) {
      const other = await findUserByEmail(query, email)
      if (other && other.id !== user.id) throw authError('emailExists')
      changes.email = email
    }
    return { status: 200, body: userJson(await updateUser(query, user.id, changes)) }
  })
}
