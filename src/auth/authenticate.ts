/**
 * Bearer-token authentication (the README, "Transport and identity").
 *
 * Why each check is here:
 * - Only HS256 (development, tests) or the provider's asymmetric algorithms (production)
 *   are accepted; `alg: none` and algorithm confusion are refused by naming the algorithms
 *   explicitly instead of trusting the token header.
 * - `iss`/`aud` are checked whenever configured (always in production), so a token minted
 *   for another application of the same provider does not work here.
 * - The token only names the user (`sub`); roles come from the database on each request.
 * - It must say when it was issued (`iat`), not in the future beyond the clock skew, and live
 *   at most `AUTH_MAX_TOKEN_LIFETIME_SECONDS` (`exp − iat`): a stolen long-lived token, or
 *   one minted with a clock set ahead, would otherwise stay usable for as long as it says.
 * Every failure is the same 401 `UNAUTHENTICATED`, so a caller learns nothing about why.
 */
import { createRemoteJWKSet, jwtVerify, JWTPayload, JWTVerifyGetKey, SignJWT } from 'jose';
import { Config } from '../config';

export interface Authenticator {
  /** The subject of a valid token, or null for a missing or invalid one. */
  subjectOf(authorization: string | undefined): Promise<string | null>;
}

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export function createAuthenticator(config: Config): Authenticator {
  const { jwtSecret, jwksUrl, issuer, audience, maxTokenLifetimeSeconds, clockSkewSeconds } = config.auth;
  const secret = jwtSecret ? new TextEncoder().encode(jwtSecret) : undefined;
  const jwks: JWTVerifyGetKey | undefined = jwksUrl ? createRemoteJWKSet(new URL(jwksUrl)) : undefined;

  return {
    async subjectOf(authorization) {
      const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(authorization?.trim() ?? '');
      if (!match) return null;
      const token = match[1];
      const options = { issuer, audience, clockTolerance: clockSkewSeconds, requiredClaims: ['sub', 'exp', 'iat'] };
      let payload: JWTPayload;
      try {
        if (jwks) {
          ({ payload } = await jwtVerify(token, jwks, { ...options, algorithms: ASYMMETRIC }));
        } else if (secret) {
          ({ payload } = await jwtVerify(token, secret, { ...options, algorithms: ['HS256'] }));
        } else {
          return null;
        }
      } catch {
        return null;
      }
      const { iat, exp } = payload;
      if (typeof iat !== 'number' || typeof exp !== 'number') return null;
      if (iat > Date.now() / 1000 + clockSkewSeconds || exp - iat > maxTokenLifetimeSeconds) return null;
      return typeof payload.sub === 'string' && payload.sub.length > 0 ? payload.sub : null;
    },
  };
}

/** Mints a development token for `subject` (HS256), valid for `ttlSeconds`. */
export async function mintDevelopmentToken(config: Config, subject: string, ttlSeconds = 8 * 3600): Promise<string> {
  if (config.nodeEnv === 'production' || !config.auth.jwtSecret) {
    throw new Error('Development tokens are only available with AUTH_JWT_SECRET outside production.');
  }
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(subject).setIssuedAt().setExpirationTime(`${ttlSeconds}s`);
  if (config.auth.issuer) jwt = jwt.setIssuer(config.auth.issuer);
  if (config.auth.audience) jwt = jwt.setAudience(config.auth.audience);
  return jwt.sign(new TextEncoder().encode(config.auth.jwtSecret));
}
