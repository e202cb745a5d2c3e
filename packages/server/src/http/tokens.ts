import crypto from 'node:crypto';

/**
 * Stateless signed tokens (HMAC-SHA256), so that any app node can check a
 * request without a database round trip.
 */
export type TokenKind = 'candidate' | 'staff';

export interface TokenClaims {
  kind: TokenKind;
  sub: string;
  /** Expiry, epoch seconds. */
  exp: number;
  /**
   * Issued at, epoch seconds with the milliseconds as a fraction (a session
   * ends when its password changes after this). Tokens signed before it was
   * added have none.
   */
  iat?: number;
  /** "Log in as" (登录此账号): the user who really acts as `sub`. */
  act?: string;
}

export class TokenSigner {
  private readonly key: Buffer;
  constructor(secret: string) {
    this.key = Buffer.from(secret, 'utf8');
  }

  sign(kind: TokenKind, sub: string, ttlSec: number, now = Date.now(), act?: string): string {
    const claims: TokenClaims = { kind, sub, exp: Math.floor(now / 1000) + ttlSec, iat: now / 1000, ...(act ? { act } : {}) };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The claims of a valid, unexpired token of this kind, or null. */
  verify(token: string, kind: TokenKind, now = Date.now()): TokenClaims | null {
    const dot = token.indexOf('.');
    if (dot <= 0) return null;
    const body = token.slice(0, dot);
    const mac = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.mac(body));
    if (mac.length !== expected.length || !crypto.timingSafeEqual(mac, expected)) return null;
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return null;
    }
    if (claims.kind !== kind || typeof claims.sub !== 'string' || claims.exp * 1000 < now) return null;
    if (claims.act !== undefined && typeof claims.act !== 'string') return null;
    if (claims.iat !== undefined && typeof claims.iat !== 'number') return null;
    return claims;
  }

  private mac(body: string): string {
    return crypto.createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1]! : null;
}
