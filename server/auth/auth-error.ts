/**
 * An error of the local `/auth/v1` (worded in `auth-errors.ts`), in Supabase Auth's shapes: `status` and the permanent
 * `error_code` of Supabase Auth (`invalid_credentials`, `user_already_exists`, `weak_password`, …),
 * so supabase-js reports it as it would for a Supabase project (`AuthApiError.code`).
 */
export class AuthError extends Error {
  override readonly name = 'AuthError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** `weak_password.reasons` of a weak password (`length`). */
    readonly reasons: readonly string[] | null = null,
  ) {
    super(message)
  }

  /**
   * The JSON body: `{ code, message }` for clients that send `X-Supabase-Api-Version: 2024-01-01`
   * (supabase-js does), else the older `{ code: status, error_code, msg }`.
   */
  body(versioned: boolean): Record<string, unknown> {
    const base: Record<string, unknown> = versioned ? { code: this.code, message: this.message } : { code: this.status, error_code: this.code, msg: this.message }
    return this.reasons ? { ...base, weak_password: { reasons: [...this.reasons] } } : base
  }
}

/** An OAuth-style error (`{ error, error_description }`, always 400), as Supabase Auth answers a refresh without a token. */
export class AuthOAuthError extends Error {
  override readonly name = 'AuthOAuthError'
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`)
  }

  body(): Record<string, unknown> {
    return { error: this.error, error_description: this.description }
  }
}
