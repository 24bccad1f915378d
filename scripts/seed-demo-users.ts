import { createClient } from '@supabase/supabase-js'
import { WebSocket } from 'ws'
import { DEMO_USERS, type DemoUser } from '../playground/runtime/demo-users'

/**
 * Creates the playground's demo users on a running local server through its admin API (the
 * service key), confirmed, with their name in `user_metadata`. Users that already exist are kept.
 */
export async function seedDemoUsers(url: string, serviceRoleKey: string): Promise<readonly DemoUser[]> {
  const admin = createClient(url, serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // NOTE: supabase-js needs a WebSocket class on Node 20, even when Realtime is not used.
    realtime: { transport: WebSocket as unknown as NonNullable<NonNullable<Parameters<typeof createClient>[2]>['realtime']>['transport'] },
  })
  for (const user of DEMO_USERS) {
    const { error } = await admin.auth.admin.createUser({ email: user.email, password: user.password, email_confirm: true, user_metadata: { name: user.name } })
    if (error && error.code !== 'email_exists') throw new Error(`Could not create the demo user ${user.email}: ${error.message}`)
  }
  return DEMO_USERS
}
