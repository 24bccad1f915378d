import type { AuthAnswer, AuthContext } from './auth-context'
import { authError } from './auth-errors'
import { requireAdmin } from './authenticate-bearer'
import { checkEmail, checkPassword, objectField, stringField } from './check-credentials'
import { hashPassword } from './password-hash'
import { unsupportedAuthFeature } from './unsupported-auth-feature'
import { deleteUser, findUserByEmail, findUserById, insertUser, listUsers, updateUser, type UserChanges } from './user-records'
import { userJson } from './user-json'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function positiveInteger(raw: string | null, fallback: number, name: string): number {
  if (raw === null || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1) throw authError('badPagination', { parameter: name })
  return value
}

/** `GET /admin/users?page=&per_page=` (supabase-js `auth.admin.listUsers`), with `X-Total-Count` and `Link` as Supabase Auth sends them. */
async function list(ctx: AuthContext): Promise<AuthAnswer> {
  const page = positiveInteger(ctx.request.query.get('page'), 1, 'page')
  const perPage = Math.min(positiveInteger(ctx.request.query.get('per_page'), 50, 'per_page'), 1000)
  const { users, total } = await ctx.run((query) => listUsers(query, page, perPage))
  const lastPage = Math.max(1, Math.ceil(total / perPage))
  const links = [...(page < lastPage ? [`</admin/users?page=${page + 1}&per_page=${perPage}>; rel="next"`] : []), `</admin/users?page=${lastPage}&per_page=${perPage}>; rel="last"`]
  return { status: 200, body: { users: users.map(userJson), aud: 'authenticated' }, headers: { 'x-total-count': String(total), link: links.join(', ') } }
}

/** The changes an admin body asks for (create and update share them). */
async function adminChanges(body: Record<string, unknown>): Promise<UserChanges & { password: string | null }> {
  if (stringField(body, 'phone') !== '') throw unsupportedAuthFeature('Phone numbers')
  if (stringField(body, 'password_hash') !== '') throw unsupportedAuthFeature('Importing password hashes')
  const changes: UserChanges & { password: string | null } = { password: null }
  const password = stringField(body, 'password')
  if (password !== '') {
    checkPassword(password)
    changes.password = password
    changes.passwordHash = await hashPassword(password)
  }
  const userMetadata = objectField(body, 'user_metadata')
  if (userMetadata) changes.userMetadata = userMetadata
  const appMetadata = objectField(body, 'app_metadata')
  if (appMetadata) changes.appMetadata = appMetadata
  if (body.email_confirm === true) changes.confirmEmail = true
  const role = stringField(body, 'role')
  if (role !== '') changes.role = role
  return changes
}

/** `POST /admin/users` (supabase-js `auth.admin.createUser`): the user, confirmed only with `email_confirm: true` as on Supabase. */
async function create(ctx: AuthContext): Promise<AuthAnswer> {
  const body = await ctx.request.json()
  const rawEmail = stringField(body, 'email')
  if (rawEmail === '' && stringField(body, 'phone') === '') throw authError('adminUserWithoutEmail')
  const changes = await adminChanges(body)
  const email = checkEmail(rawEmail)
  const id = stringField(body, 'id')
  if (id !== '' && !UUID.test(id)) throw authError('adminIdNotUuid')
  return ctx.run(async (query) => {
    if (await findUserByEmail(query, email)) throw authError('emailExists')
    if (id !== '' && (await findUserById(query, id))) throw authError('userAlreadyRegistered')
    const user = await insertUser(query, {
      email,
      passwordHash: changes.passwordHash ?? null,
      userMetadata: changes.userMetadata ?? {},
      appMetadata: changes.appMetadata ?? {},
      confirmed: changes.confirmEmail === true,
      ...(changes.role ? { role: changes.role } : {}),
      ...(id !== '' ? { id } : {}),
    })
    return { status: 200, body: userJson(user) }
  })
}

/** `GET|PUT|DELETE /admin/users/<id>` (supabase-js `auth.admin.getUserById`, `updateUserById`, `deleteUser`). */
async function one(ctx: AuthContext, id: string): Promise<AuthAnswer> {
  if (!UUID.test(id)) throw authError('userIdNotUuid')
  const method = ctx.request.method
  if (method !== 'GET' && method !== 'PUT' && method !== 'DELETE') throw authError('methodNotAllowed', { method, path: `/admin/users/${id}`, allowed: 'GET, PUT or DELETE' })
  const body = method === 'PUT' || (method === 'DELETE' && (await ctx.request.hasBody())) ? await ctx.request.json() : {}
  const changes = method === 'PUT' ? await adminChanges(body) : null
  const rawEmail = method === 'PUT' ? stringField(body, 'email') : ''
  const email = rawEmail === '' ? null : checkEmail(rawEmail)
  return ctx.run(async (query) => {
    const user = await findUserById(query, id)
    if (!user) throw authError('userNotFound')
    if (method === 'GET') return { status: 200, body: userJson(user) }
    if (method === 'DELETE') {
      if (body.should_soft_delete === true) {
        await query(`update auth.users set deleted_at = now(), email = null, encrypted_password = null, raw_user_meta_data = '{}'::jsonb, raw_app_meta_data = '{}'::jsonb where id = $1::uuid`, [id])
        await query(`delete from auth.sessions where user_id = $1::uuid`, [id])
        await query(`delete from auth.identities where user_id = $1::uuid`, [id])
      } else {
        await deleteUser(query, id)
      }
      return { status: 200, body: {} }
    }
    const update: UserChanges = { ...changes }
    delete (update as { password?: unknown }).password
    if (email !== null && email !== user.email) {
      const other = await findUserByEmail(query, email)
      if (other && other.id !== id) throw authError('emailExists')
      update.email = email
    }
    return { status: 200, body: userJson(await updateUser(query, id, update)) }
  })
}

/** The admin API under `/admin/users` (service key only: else `403 not_admin`). */
export function adminUsers(ctx: AuthContext): Promise<AuthAnswer> {
  requireAdmin(ctx)
  const match = /^\/admin\/users(?:\/([^/]+))?\/?$/.exec(ctx.request.path)
  const id = match?.[1]
  if (id !== undefined) {
    let decoded: string
    try {
      decoded = decodeURIComponent(id)
    } catch {
      throw authError('userIdNotUuid')
    }
    return one(ctx, decoded)
  }
  if (ctx.request.method === 'GET') return list(ctx)
  if (ctx.request.method === 'POST') return create(ctx)
  throw authError('methodNotAllowed', { method: ctx.request.method, path: '/admin/users', allowed: 'GET or POST' })
}
