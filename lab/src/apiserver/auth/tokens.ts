// ServiceAccount tokens as the real server issues them: ES256 JWTs under a key made at start, with
// the bound-token claims; and their verification, in the real authenticator's order of checks.

import { createHash, randomUUID, webcrypto } from 'node:crypto';
import { CompactSign, compactVerify, exportJWK, exportPKCS8, generateKeyPair, importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import type { UserInfo } from '../identity.js';
import type { Json, JsonObject } from '../json.js';
import { JwsParseError, parseCompactJws } from './jws.js';
import {
  boundObjectProblem,
  ClaimsError,
  matchAudiences,
  readClaims,
  serviceAccountUser,
  timeProblem,
  type ObjectLookup,
  type ObjectRef,
  type ServiceAccountClaims,
} from './sa-claims.js';
import { serviceAccountUsername } from './sa-names.js';

/** kubeadm's (and kind's) --service-account-issuer. */
export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const DEFAULT_EXPIRATION_SECONDS = 3600;

export class TokenError extends Error {
  override readonly name = 'TokenError';
}

export interface IssueRequest {
  /** The ServiceAccount: namespace, name and uid. */
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  /** Default: the server's API audiences. */
  readonly audiences?: readonly string[];
  /** Default 3600; any positive integer (TokenRequest enforces its own bounds). */
  readonly expirationSeconds?: number;
  /** At most one binding kind: a Pod (with its Node, optionally), a Secret, or a Node alone. */
  readonly pod?: ObjectRef;
  readonly node?: ObjectRef;
  readonly secret?: ObjectRef;
  /** Seconds after issue when the token should have been refreshed (extended kubelet tokens). */
  readonly warnAfterSeconds?: number;
  readonly now?: Date;
}

export interface IssuedToken {
  readonly token: string;
  readonly claims: ServiceAccountClaims;
}

export interface VerifyOptions {
  /** The audiences the request is for; default the server's API audiences. */
  readonly audiences?: readonly string[];
  readonly now?: Date;
}

/**
 * `ours` false: the token is not one of ours (garbled, or another issuer), so another
 * authenticator may try it. `ours` true: ours, and refused for `reason`.
 */
export type VerifyResult =
  | { readonly ok: true; readonly user: UserInfo; readonly claims: ServiceAccountClaims; readonly audiences: readonly string[] }
  | { readonly ok: false; readonly ours: boolean; readonly reason: string };

/** JSON with object keys sorted at every level, as Go marshals the merged claim map. */
function sortedJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(value[k] as Json)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function refJson(r: ObjectRef): JsonObject {
  return r.uid === '' ? { name: r.name } : { name: r.name, uid: r.uid };
}

export class ServiceAccountTokens {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    /** base64url SHA-256 of the DER public key, the real server's `kid`. */
    readonly keyId: string,
    readonly issuer: string,
    /** The audiences the API server itself answers to (--api-audiences); tokens naming none of them are refused. */
    readonly apiAudiences: readonly string[],
  ) {}

  /** `keyPem`: the signing key of an earlier start (PKCS#8), so the tokens it issued stay valid; a new key otherwise. */
  static async create(opts: { issuer?: string; apiAudiences?: readonly string[]; keyPem?: string } = {}): Promise<ServiceAccountTokens> {
    const issuer = opts.issuer ?? DEFAULT_ISSUER;
    const apiAudiences = opts.apiAudiences ?? [issuer];
    if (apiAudiences.length === 0) throw new TokenError('tokens: the API server needs at least one audience');
    const { privateKey, publicKey } = opts.keyPem === undefined ? await generateKeyPair('ES256', { extractable: true }) : await keysFromPem(opts.keyPem);
    const spki = await webcrypto.subtle.exportKey('spki', publicKey);
    const keyId = createHash('sha256').update(Buffer.from(spki)).digest('base64url');
    return new ServiceAccountTokens(privateKey, publicKey, keyId, issuer, apiAudiences);
  }

  /** Signs a token for a ServiceAccount; throws TokenError on a request no server would sign. */
  async issue(req: IssueRequest): Promise<IssuedToken> {
    const seconds = req.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
    if (!Number.isSafeInteger(seconds) || seconds <= 0) throw new TokenError(`tokens: expirationSeconds must be a positive integer, got ${seconds}`);
    if (req.secret !== undefined && (req.pod !== undefined || req.node !== undefined)) throw new TokenError('tokens: internal error, token can only be bound to one object type');
    if (req.namespace === '' || req.name === '' || req.uid === '') throw new TokenError('tokens: the ServiceAccount namespace, name and uid must all be set');
    const audiences = [...(req.audiences ?? this.apiAudiences)];
    const now = Math.floor((req.now ?? new Date()).getTime() / 1000);
    const k8s: JsonObject = { namespace: req.namespace, serviceaccount: { name: req.name, uid: req.uid } };
    if (req.pod !== undefined) k8s['pod'] = refJson(req.pod);
    if (req.secret !== undefined) k8s['secret'] = refJson(req.secret);
    if (req.node !== undefined) k8s['node'] = refJson(req.node);
    if (req.warnAfterSeconds !== undefined) k8s['warnafter'] = now + req.warnAfterSeconds;
    const payload: JsonObject = {
      iss: this.issuer,
      sub: serviceAccountUsername(req.namespace, req.name),
      aud: audiences,
      exp: now + seconds,
      nbf: now,
      iat: now,
      jti: randomUUID(),
      'kubernetes.io': k8s,
    };
    const token = await new CompactSign(new TextEncoder().encode(sortedJson(payload))).setProtectedHeader({ alg: 'ES256', kid: this.keyId }).sign(this.privateKey);
    return { token, claims: readClaims(payload) };
  }

  /** The signing key as PKCS#8 PEM, to keep in --cert-dir. */
  exportKeyPem(): Promise<string> {
    return exportPKCS8(this.privateKey);
  }

  /**
   * Checks a bearer token: ours (issuer), signed by our key, for an audience of this server,
   * within its times, and naming a ServiceAccount (and bound object) that still exist with the
   * uids it names. Never throws for a bad token.
   */
  async verify(token: string, lookup: ObjectLookup, opts: VerifyOptions = {}): Promise<VerifyResult> {
    let payload: JsonObject;
    try {
      payload = parseCompactJws(token).payload;
    } catch (e) {
      if (e instanceof JwsParseError) return { ok: false, ours: false, reason: e.message };
      throw e;
    }
    if (payload['iss'] !== this.issuer) {
      return { ok: false, ours: false, reason: `tokens: issuer ${JSON.stringify(payload['iss'] ?? null)} is not ${JSON.stringify(this.issuer)}` };
    }
    try {
      await compactVerify(token, this.publicKey, { algorithms: ['ES256'] });
    } catch (e) {
      return { ok: false, ours: true, reason: `tokens: signature not made by this server's key (${e instanceof Error ? e.message : String(e)})` };
    }
    let claims: ServiceAccountClaims;
    try {
      claims = readClaims(payload);
    } catch (e) {
      if (e instanceof ClaimsError) return { ok: false, ours: true, reason: e.message };
      throw e;
    }
    const aud = matchAudiences(claims.aud, this.apiAudiences, opts.audiences ?? this.apiAudiences);
    if ('reason' in aud) return { ok: false, ours: true, reason: aud.reason };
    const nowMs = (opts.now ?? new Date()).getTime();
    const problem = timeProblem(claims, nowMs) ?? boundObjectProblem(claims, lookup, nowMs);
    if (problem !== undefined) return { ok: false, ours: true, reason: problem };
    return { ok: true, user: serviceAccountUser(claims), claims, audiences: aud.audiences };
  }

  /** The key set served at /openid/v1/jwks, for clients that verify tokens themselves. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const jwk = await exportJWK(this.publicKey);
    return { keys: [{ use: 'sig', kty: 'EC', kid: this.keyId, crv: jwk.crv ?? 'P-256', alg: 'ES256', x: jwk.x ?? '', y: jwk.y ?? '' }] };
  }

  /** The discovery document served at /.well-known/openid-configuration. */
  openIdConfiguration(jwksUri: string): JsonObject {
    return {
      issuer: this.issuer,
      jwks_uri: jwksUri,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
    };
  }
}

async function keysFromPem(pem: string): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey }> {
  let privateKey: CryptoKey;
  try {
    privateKey = await importPKCS8(pem, 'ES256', { extractable: true });
  } catch (e) {
    throw new TokenError(`tokens: the signing key is not a PKCS#8 P-256 key: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { d: _d, ...pub } = await exportJWK(privateKey);
  return { privateKey, publicKey: (await importJWK(pub, 'ES256')) as CryptoKey };
}
