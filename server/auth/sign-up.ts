import type { AuthAnswer, AuthContext } from './auth-context'
import { authError } from './auth-errors'
import { checkEmail, checkPassword, objectField, stringField } from './check-credentials'
import { hashPassword } from './password-hash'
import { createSession } from './session-records'
import { sessionAnswer } from './session-answer'
import { unsupportedAuthFeature } from './unsupported-auth-feature'
import { findUserByEmail, insertUser, touchSignIn } from './user-records'

/**
 * `POST /signup` (supabase-js `auth.signUp`): email and password. Locally every address is
 * confirmed at once (as `supabase start` with confirmations off), so the answer is a session.
 */
export async function signUp(ctx: AuthContext): Promise<AuthAnswer> {
  const body = await ctx.request.json()
  if (stringField(body, 'phone') !== '') throw unsupportedAuthFeature('Sign-up with a phone number')
  const password = stringField(body, 'password')
  if (password === '' && stringField(body, 'email') === '') throw unsupportedAuthFeature('Anonymous sign-ins')
  if (password === '') throw authError('signupNeedsPassword')
  checkPassword(password)
  const email = checkEmail(stringField(body, 'email'))
  const data = objectField(body, 'data') ?? {}
  const passwordHash = await hashPassword(password)
  return ctx.run(async (query) => {
    if (await findUserByEmail(query, email)) throw authError('userAlreadyRegistered')
    const created = await insertUser(query, { email, passwordHash, userMetadata: data, appMetadata: {}, confirmed: true })
    const session = await createSession(query, created.id, ctx.request.userAgent)
    await touchSignIn(query, created.id)
    const user = (await findUserByEmail(query, email)) ?? created
    return sessionAnswer(ctx, user, session)
  })
}
