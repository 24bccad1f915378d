import { describe, expect, it } from 'vitest'
import { AuthError } from '../../server/auth/auth-error'
import { checkEmail, checkPassword } from '../../server/auth/check-credentials'
import { hashPassword, verifyPassword } from '../../server/auth/password-hash'
import { unsupportedFeatureOf } from '../../server/auth/unsupported-auth-feature'
import { resolveOptions } from '../../server/options'

describe('password hashes', () => {
  it('verifies the password it hashed, salted, and nothing else', async () => {
    const first = await hashPassword('correct horse')
    const second = await hashPassword('correct horse')
    expect(first).toMatch(/^\$scrypt\$N=16384,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
    expect(first).not.toBe(second)
    expect(first).not.toContain('correct horse')
    expect(await verifyPassword('correct horse', first)).toBe(true)
    expect(await verifyPassword('correct horsE', first)).toBe(false)
    expect(await verifyPassword('correct horse', null)).toBe(false)
    expect(await verifyPassword('correct horse', 'correct horse')).toBe(false)
  })
})

describe('credential checks', () => {
  it('lower-cases emails and refuses invalid ones with Supabase Auth codes', () => {
    expect(checkEmail('  Ada@Example.COM ')).toBe('ada@example.com')
    expect(() => checkEmail('')).toThrow(expect.objectContaining({ status: 400, code: 'validation_failed' }) as Error)
    expect(() => checkEmail('ada@')).toThrow(expect.objectContaining({ status: 400, code: 'email_address_invalid' }) as Error)
  })

  it('refuses passwords under 6 characters as weak, with the length reason', () => {
    expect(() => checkPassword('123456')).not.toThrow()
    let error: unknown
    try {
      checkPassword('12345')
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(AuthError)
    expect((error as AuthError).body(true)).toEqual({ code: 'weak_password', message: 'Password should be at least 6 characters.', weak_password: { reasons: ['length'] } })
    expect((error as AuthError).body(false)).toEqual({ code: 422, error_code: 'weak_password', msg: 'Password should be at least 6 characters.', weak_password: { reasons: ['length'] } })
  })
})

describe('unsupported features', () => {
  it('names the feature of each path the local server lacks', () => {
    expect(unsupportedFeatureOf('/authorize')).toBe('Sign-in with an OAuth provider')
    expect(unsupportedFeatureOf('/otp')).toBe('Magic links and one-time passwords')
    expect(unsupportedFeatureOf('/factors/abc/verify')).toBe('Multi-factor authentication (MFA)')
    expect(unsupportedFeatureOf('/admin/users/abc/factors')).toBe('Multi-factor authentication (MFA)')
    expect(unsupportedFeatureOf('/sso')).toBe('Single sign-on (SSO, SAML)')
    expect(unsupportedFeatureOf('/user')).toBeNull()
    expect(unsupportedFeatureOf('/admin/users')).toBeNull()
  })
})

describe('token lifetime option', () => {
  it('defaults to 3600 s and refuses a lifetime that is not a whole number of seconds', () => {
    expect(resolveOptions({}).jwtExpiry).toBe(3600)
    expect(resolveOptions({}).refreshTokenReuseInterval).toBe(10)
    expect(resolveOptions({ jwtExpiry: 5 }).jwtExpiry).toBe(5)
    expect(() => resolveOptions({ jwtExpiry: 0 })).toThrow(/jwtExpiry/)
    expect(() => resolveOptions({ jwtExpiry: 1.5 })).toThrow(/jwtExpiry/)
  })
})
