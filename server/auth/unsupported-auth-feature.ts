import type { AuthError } from './auth-error'
import { authError } from './auth-errors'

/** Features of Supabase Auth the local `/auth/v1` does not have, by the path (below `/auth/v1`) that asks for them. */
const FEATURES: ReadonlyArray<[RegExp, string]> = [
  [/^\/(authorize|callback)\/?$/, 'Sign-in with an OAuth provider'],
  [/^\/(otp|magiclink)\/?$/, 'Magic links and one-time passwords'],
  [/^\/(verify|resend)\/?$/, 'Email and phone verification'],
  [/^\/recover\/?$/, 'Password recovery emails'],
  [/^\/(invite|admin\/generate_link)\/?$/, 'Invitation and sign-in links sent by email'],
  [/^\/reauthenticate\/?$/, 'Reauthentication by email or phone'],
  [/^\/(factors|admin\/users\/[^/]+\/factors)(\/.*)?$/, 'Multi-factor authentication (MFA)'],
  [/^\/(sso|saml|admin\/sso)(\/.*)?$/, 'Single sign-on (SSO, SAML)'],
  [/^\/user\/identities(\/.*)?$/, 'Linking identities'],
  [/^\/(oauth|admin\/oauth|admin\/custom-providers)(\/.*)?$/, 'The OAuth 2.1 server'],
  [/^\/(passkeys?|webauthn)(\/.*)?$/, 'Passkeys'],
  [/^\/\.well-known\/jwks\.json$/, 'Asymmetric signing keys (JWKS)'],
]

/**
 * The error for a feature of Supabase Auth the local server lacks: it names the feature and
 * points to a Supabase project. `404 feature_disabled`, as Supabase Auth answers a disabled feature.
 */
export function unsupportedAuthFeature(feature: string): AuthError {
  return authError('featureDisabled', { feature })
}

/** The feature a path asks for, when it is one the local server lacks; else null. */
export function unsupportedFeatureOf(path: string): string | null {
  for (const [pattern, feature] of FEATURES) if (pattern.test(path)) return feature
  return null
}
