import { createClient, type AuthChangeEvent, type Session, type SupabaseClient } from '@supabase/supabase-js'
import { shallowRef, type ShallowRef } from 'vue'
import type { ConnectionSettings } from './plugin-session'

/** The signed-in user as the page reads it (`variables.auth` in bindings), like WeWeb's Supabase Auth plugin variables. */
export interface AuthView {
  isAuthenticated: boolean
  user: { id: string; email: string; name: string } | null
}

/** The playground's Supabase Auth: a real supabase-js client signed in against the project (or the local `/auth/v1`). */
export interface PlaygroundAuth {
  /** The client WeWeb's Supabase Auth plugin would expose as `publicInstance`; data actions use it too. */
  readonly client: SupabaseClient
  readonly view: ShallowRef<AuthView>
  /** Signs in with email and password; resolves with the error text, or null. */
  signIn(email: string, password: string): Promise<string | null>
  signOut(): Promise<void>
  /** Called when the user signs in, signs out or becomes another user (not on token refreshes); returns the remover. */
  onUserChange(listener: () => void): () => void
}

const SIGNED_OUT: AuthView = Object.freeze({ isAuthenticated: false, user: null })

function viewOf(session: Session | null): AuthView {
  const user = session?.user
  if (!user) return SIGNED_OUT
  const name = typeof user.user_metadata.name === 'string' && user.user_metadata.name !== '' ? user.user_metadata.name : (user.email ?? user.id)
  return { isAuthenticated: true, user: { id: user.id, email: user.email ?? '', name } }
}

/**
 * Creates the auth client for some settings. The session is kept in `storage` (the tab's
 * `sessionStorage` in the page), so two windows side by side can be two different users.
 */
export function createPlaygroundAuth(settings: ConnectionSettings, storage: Storage | null): PlaygroundAuth {
  const client = createClient(settings.url, settings.key, {
    auth: {
      persistSession: storage !== null,
      autoRefreshToken: true,
      detectSessionInUrl: false,
      storageKey: 'realtime-playground-auth',
      ...(storage ? { storage } : {}),
    },
  })
  const view = shallowRef<AuthView>(SIGNED_OUT)
  const listeners = new Set<() => void>()
  client.auth.onAuthStateChange((_event: AuthChangeEvent, session) => {
    const next = viewOf(session)
    const changed = next.user?.id !== view.value.user?.id
    view.value = next
    // NOTE: called from inside supabase-js's auth lock: listeners run after it, so they may use the client.
    if (changed) setTimeout(() => listeners.forEach((listener) => listener()), 0)
  })
  return {
    client,
    view,
    async signIn(email, password) {
      const { error } = await client.auth.signInWithPassword({ email, password })
      return error ? error.message : null
    },
    async signOut() {
      await client.auth.signOut()
    },
    onUserChange(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
  }
}

const byProject = new Map<string, PlaygroundAuth>()

/** The page's auth client for a project: one per URL and key, kept while the page lives. */
export function playgroundAuthFor(settings: ConnectionSettings): PlaygroundAuth {
  const id = `${settings.url} ${settings.key}`
  let auth = byProject.get(id)
  if (!auth) {
    auth = createPlaygroundAuth(settings, typeof sessionStorage === 'undefined' ? null : sessionStorage)
    byProject.set(id, auth)
  }
  return auth
}
