/** A user `npm start` creates on the local server, so the playground can be tried signed in. */
export interface DemoUser {
  email: string
  password: string
  /** Shown in the chat and in the sign-in panel (`user_metadata.name`). */
  name: string
}

/** The two demo users: open the playground in two windows and sign each in as one of them. */
export const DEMO_USERS: readonly DemoUser[] = Object.freeze([
  { email: 'ada@example.com', password: 'ada-password', name: 'Ada' },
  { email: 'bob@example.com', password: 'bob-password', name: 'Bob' },
])
