import type { AuthAnswer, AuthContext } from './auth-context'
import { authError } from './auth-errors'
import { requireUser } from './authenticate-bearer'
import { endSessions, type LogoutScope } from './session-records'

/**
 * `POST /logout?scope=global|local|others` (supabase-js `auth.signOut`): ends the sessions of the
 * scope (every session of the user by default); their refresh tokens stop working. `204`.
 */
export async function logOut(ctx: AuthContext): Promise<AuthAnswer> {
  const raw = ctx.request.query.get('scope') ?? ''
  const scope: LogoutScope | null = raw === '' || raw === 'global' ? 'global' : raw === 'local' || raw === 'others' ? raw : null
  if (!scope) throw authError('logoutScope', { scope: raw })
  const { user, sessionId } = await requireUser(ctx)
  await ctx.run((query) => endSessions(query, user.id, sessionId, scope))
  return { status: 204 }
}
