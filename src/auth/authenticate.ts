// Bearer JWTs: verified with jose against one configured key source, algorithms pinned; claims become an Access.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { z } from 'zod';
import { type Access, OPEN_ACCESS, type Scope } from '../domain/access.js';

/** Where tokens' keys come from, and what else they must say. Exactly one of secret, publicKey, jwksUrl. */
export interface AuthConfig {
  secret?: string;
  publicKey?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

/** Thrown when a request carries no usable token: missing, malformed, badly signed, expired, or for someone else. */
export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError' as const;
}

const claimsSchema = z.object({
  projects: z.array(z.string()),
  scope: z.string().default(''),
});

export type Authenticate = (authorization: string | null | undefined) => Promise<Access>;

/** Turns an Authorization header into an Access; with no configuration every request gets full access. */
export function createAuthenticator(config: AuthConfig | null): Authenticate {
  if (!config) return async () => OPEN_ACCESS;
  let key: Uint8Array | KeyObject | JWTVerifyGetKey;
  let algorithms: string[];
  if (config.secret !== undefined) {
    key = new TextEncoder().encode(config.secret);
    algorithms = ['HS256'];
  } else if (config.publicKey !== undefined) {
    key = createPublicKey(config.publicKey);
    algorithms = key.asymmetricKeyType === 'ec' ? ['ES256'] : ['RS256'];
  } else {
    key = createRemoteJWKSet(new URL(config.jwksUrl!));
    algorithms = ['RS256', 'ES256'];
  }
  const options = { algorithms, ...(config.issuer ? { issuer: config.issuer } : {}), ...(config.audience ? { audience: config.audience } : {}) };
  return async (authorization) => {
    const token = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!token) throw new UnauthenticatedError(authorization ? 'Authorization must be "Bearer <JWT>"' : 'Missing bearer token');
    let payload: unknown;
    try {
      // jose refuses alg "none", algorithms not pinned above, bad signatures, and exp / nbf / iss / aud mismatches.
      ({ payload } = await jwtVerify(token, key as Uint8Array, options));
    } catch (error) {
      throw new UnauthenticatedError(`Invalid token: ${(error as { code?: string }).code ?? 'verification failed'}`);
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new UnauthenticatedError('Invalid token: it needs a "projects" array and a "scope" string');
    const scopes = new Set(claims.data.scope.split(/\s+/).filter((s): s is Scope => s === 'chat:read' || s === 'chat:write'));
    const all = claims.data.projects.includes('*');
    const projects = new Set(claims.data.projects);
    const sub = (payload as { sub?: unknown }).sub;
    return { scopes, subject: typeof sub === 'string' && sub.length > 0 ? sub : null, allows: (projectId) => all || projects.has(projectId) };
  };
}
