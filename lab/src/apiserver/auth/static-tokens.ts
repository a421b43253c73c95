// Fixed bearer tokens for known users, like the real server's --token-auth-file: the admin the
// kubeconfig carries. Lookups compare in constant time so response timing says nothing of a token.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SYSTEM_AUTHENTICATED, SYSTEM_MASTERS, type UserInfo } from '../identity.js';

export const ADMIN_USERNAME = 'headland-admin';

/** The cluster admin: system:masters passes every authorization check, as in a real cluster. */
export const ADMIN_USER: UserInfo = { name: ADMIN_USERNAME, groups: [SYSTEM_MASTERS, SYSTEM_AUTHENTICATED] };

export class StaticTokenError extends Error {
  override readonly name = 'StaticTokenError';
}

/** A fresh random token: 32 bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export class StaticTokens {
  private readonly entries: readonly { readonly digest: Buffer; readonly user: UserInfo }[];

  /** Throws StaticTokenError on an empty token or one given twice. */
  constructor(table: Iterable<readonly [string, UserInfo]>) {
    const entries: { digest: Buffer; user: UserInfo }[] = [];
    for (const [token, user] of table) {
      if (token === '' || /\s/.test(token)) throw new StaticTokenError(`static-tokens: the token for ${JSON.stringify(user.name)} is empty or contains white space`);
      const d = digest(token);
      if (entries.some((e) => timingSafeEqual(e.digest, d))) throw new StaticTokenError(`static-tokens: the token for ${JSON.stringify(user.name)} is given twice`);
      entries.push({ digest: d, user });
    }
    this.entries = entries;
  }

  /**
   * The user a token belongs to, or undefined. Every entry is compared, each over fixed-length
   * digests, so the time taken depends neither on where a match is nor on how much of it matches.
   */
  lookup(token: string): UserInfo | undefined {
    const d = digest(token);
    let found: UserInfo | undefined;
    for (const e of this.entries) {
      if (timingSafeEqual(e.digest, d) && found === undefined) found = e.user;
    }
    return found;
  }

  get size(): number {
    return this.entries.length;
  }
}
