import type { AuthAnswer } from './auth-context'

/** `GET /settings`: what this Supabase Auth offers (email and password only, confirmed at once). */
export function authSettings(): AuthAnswer {
  return {
    status: 200,
    body: {
      external: { anonymous_users: false, email: true, phone: false, apple: false, azure: false, bitbucket: false, discord: false, facebook: false, figma: false, fly: false, github: false, gitlab: false, google: false, keycloak: false, kakao: false, linkedin: false, linkedin_oidc: false, notion: false, slack: false, slack_oidc: false, spotify: false, twitch: false, twitter: false, workos: false, zoom: false },
      disable_signup: false,
      mailer_autoconfirm: true,
      phone_autoconfirm: false,
      sms_provider: '',
      saml_enabled: false,
    },
  }
}

/** `GET /health`. */
export function authHealth(): AuthAnswer {
  return { status: 200, body: { version: 'local', name: 'GoTrue', description: 'GoTrue is a user registration and authentication API (local email and password subset)' } }
}
