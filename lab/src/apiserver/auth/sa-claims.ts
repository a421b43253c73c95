// The claims of a bound ServiceAccount token and the checks the real server makes on them once the
// signature holds: audiences, times (with go-jose's minute of leeway), and the objects named.

import { SYSTEM_AUTHENTICATED, type UserInfo } from '../identity.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { goQuoteList } from '../go-text.js';
import { serviceAccountGroups, serviceAccountUsername } from './sa-names.js';

/** go-jose's DefaultLeeway: clocks may disagree by this much on exp, nbf and iat. */
export const LEEWAY_SECONDS = 60;

export const EXTRA_POD_NAME = 'authentication.kubernetes.io/pod-name';
export const EXTRA_POD_UID = 'authentication.kubernetes.io/pod-uid';
export const EXTRA_NODE_NAME = 'authentication.kubernetes.io/node-name';
export const EXTRA_NODE_UID = 'authentication.kubernetes.io/node-uid';
export const EXTRA_CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id';

export interface ObjectRef {
  readonly name: string;
  /** Empty for a pod's node the server did not find when it issued the token. */
  readonly uid: string;
}

/** The `kubernetes.io` private claim. */
export interface KubernetesClaim {
  readonly namespace: string;
  readonly serviceaccount: ObjectRef;
  readonly pod?: ObjectRef;
  readonly secret?: ObjectRef;
  readonly node?: ObjectRef;
  /** Seconds since the epoch after which a kubelet should have refreshed an extended token. */
  readonly warnafter?: number;
}

export interface ServiceAccountClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: readonly string[];
  readonly exp?: number;
  readonly nbf?: number;
  readonly iat?: number;
  readonly jti?: string;
  readonly 'kubernetes.io': KubernetesClaim;
}

export class ClaimsError extends Error {
  override readonly name = 'ClaimsError';
}

function str(obj: JsonObject, key: string, where: string): string | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ClaimsError(`sa-claims: ${where}${key} is not a string`);
  return v;
}

function num(obj: JsonObject, key: string): number | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number') throw new ClaimsError(`sa-claims: ${key} is not a number`);
  return Math.trunc(v);
}

function ref(v: Json | undefined, where: string): ObjectRef | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) throw new ClaimsError(`sa-claims: kubernetes.io.${where} is not an object`);
  return { name: str(v, 'name', `kubernetes.io.${where}.`) ?? '', uid: str(v, 'uid', `kubernetes.io.${where}.`) ?? '' };
}

/** Reads (unverified or verified) claims; throws ClaimsError naming a claim of the wrong type or missing. */
export function readClaims(payload: JsonObject): ServiceAccountClaims {
  const k8s = payload['kubernetes.io'];
  if (!isObject(k8s)) throw new ClaimsError('sa-claims: the kubernetes.io claim naming the ServiceAccount is missing');
  const aud = payload['aud'];
  let audiences: string[];
  if (aud === undefined) audiences = [];
  else if (typeof aud === 'string') audiences = [aud];
  else if (Array.isArray(aud) && aud.every((a): a is string => typeof a === 'string')) audiences = aud;
  else throw new ClaimsError('sa-claims: aud is neither a string nor a list of strings');
  const sa = ref(k8s['serviceaccount'], 'serviceaccount');
  if (sa === undefined) throw new ClaimsError('sa-claims: kubernetes.io.serviceaccount is missing');
  const warnafter = num(k8s, 'warnafter');
  const kubernetes: KubernetesClaim = {
    namespace: str(k8s, 'namespace', 'kubernetes.io.') ?? '',
    serviceaccount: sa,
    ...optional('pod', ref(k8s['pod'], 'pod')),
    ...optional('secret', ref(k8s['secret'], 'secret')),
    ...optional('node', ref(k8s['node'], 'node')),
    ...optional('warnafter', warnafter),
  };
  return {
    iss: str(payload, 'iss', '') ?? '',
    sub: str(payload, 'sub', '') ?? '',
    aud: audiences,
    ...optional('exp', num(payload, 'exp')),
    ...optional('nbf', num(payload, 'nbf')),
    ...optional('iat', num(payload, 'iat')),
    ...optional('jti', str(payload, 'jti', '')),
    'kubernetes.io': kubernetes,
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * The audiences a token is good for here: its own (the API audiences when it names none, as a
 * legacy token) met with the audiences the request is for; or the real server's refusal text.
 */
export function matchAudiences(tokenAudiences: readonly string[], apiAudiences: readonly string[], requested: readonly string[]): { audiences: string[] } | { reason: string } {
  const own = tokenAudiences.length === 0 ? apiAudiences : tokenAudiences;
  const both = own.filter((a) => requested.includes(a));
  if (both.length === 0) return { reason: `token audiences ${goQuoteList(own)} is invalid for the target audiences ${goQuoteList(requested)}` };
  return { audiences: both };
}

/** Why the token's times make it unusable at `nowMs`, in the real server's words; undefined when usable. */
export function timeProblem(claims: ServiceAccountClaims, nowMs: number): string | undefined {
  const leeway = LEEWAY_SECONDS * 1000;
  if (claims.nbf !== undefined && nowMs + leeway < claims.nbf * 1000) return 'service account token is not valid yet';
  if (claims.exp !== undefined && nowMs - leeway > claims.exp * 1000) return 'service account token has expired';
  if (claims.iat !== undefined && nowMs + leeway < claims.iat * 1000) return 'service account token is issued in the future';
  return undefined;
}

/** An object as the verifier needs it from the store. */
export interface StoredObject {
  readonly uid: string;
  /** RFC 3339, set while the object waits for its finalizers. */
  readonly deletionTimestamp?: string | undefined;
}

export type ObjectKind = 'ServiceAccount' | 'Pod' | 'Secret' | 'Node';

/** Looks an object up in the store; `namespace` is '' for Nodes. Undefined when there is none. */
export type ObjectLookup = (kind: ObjectKind, namespace: string, name: string) => StoredObject | undefined;

const INVALIDATED = 'service account token has been invalidated';

/**
 * Why the objects the token names no longer back it, in the real server's words: the
 * ServiceAccount gone or replaced (another uid), and likewise the Secret, Pod or Node it is bound to.
 */
export function boundObjectProblem(claims: ServiceAccountClaims, lookup: ObjectLookup, nowMs: number): string | undefined {
  const k = claims['kubernetes.io'];
  const ns = k.namespace;
  const sa = k.serviceaccount;
  const gone = (o: StoredObject): boolean => o.deletionTimestamp !== undefined && Date.parse(o.deletionTimestamp) < nowMs - LEEWAY_SECONDS * 1000;
  const account = lookup('ServiceAccount', ns, sa.name);
  if (account === undefined) return `serviceaccounts "${sa.name}" not found`;
  if (account.uid !== sa.uid) return `service account UID (${account.uid}) does not match claim (${sa.uid})`;
  if (gone(account)) return `service account ${ns}/${sa.name} has been deleted`;
  const bound: readonly [ObjectKind, ObjectRef | undefined, string][] = [
    ['Secret', k.secret, 'secret'],
    ['Pod', k.pod, 'pod'],
    ['Node', k.pod === undefined ? k.node : undefined, 'node'],
  ];
  for (const [kind, r, word] of bound) {
    if (r === undefined) continue;
    const obj = lookup(kind, kind === 'Node' ? '' : ns, r.name);
    if (obj === undefined) return INVALIDATED;
    if (obj.uid !== r.uid) return `${word} UID (${obj.uid}) does not match service account ${word} ref claim (${r.uid})`;
    if (gone(obj)) return INVALIDATED;
  }
  return undefined;
}

/** The user a verified token authenticates as, with the extras the real server records. */
export function serviceAccountUser(claims: ServiceAccountClaims): UserInfo {
  const k = claims['kubernetes.io'];
  const extra: Record<string, string[]> = {};
  if (k.pod !== undefined && k.pod.name !== '' && k.pod.uid !== '') {
    extra[EXTRA_POD_NAME] = [k.pod.name];
    extra[EXTRA_POD_UID] = [k.pod.uid];
  }
  if (claims.jti !== undefined && claims.jti !== '') extra[EXTRA_CREDENTIAL_ID] = [`JTI=${claims.jti}`];
  if (k.node !== undefined && k.node.name !== '') {
    extra[EXTRA_NODE_NAME] = [k.node.name];
    if (k.node.uid !== '') extra[EXTRA_NODE_UID] = [k.node.uid];
  }
  return {
    name: serviceAccountUsername(k.namespace, k.serviceaccount.name),
    uid: k.serviceaccount.uid,
    groups: [...serviceAccountGroups(k.namespace), SYSTEM_AUTHENTICATED],
    ...(Object.keys(extra).length === 0 ? {} : { extra }),
  };
}
