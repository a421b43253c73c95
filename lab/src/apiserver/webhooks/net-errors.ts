// Node's socket failures worded as Go's net and net/http errors (dial tcp ...: connect: connection refused,
// EOF, ...), since kube-apiserver's "failed to call webhook" message carries them verbatim.

import { isIP } from 'node:net';

/** net.JoinHostPort. */
export function joinHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

export interface SocketEnds {
  /** The address dialled, as the OS reported it or as given. */
  readonly remote: string;
  /** The local end, once connected. */
  readonly local: string | undefined;
  /** The host name looked up, for DNS failures. */
  readonly lookupHost: string;
}

type NodeError = Error & { code?: string; address?: string; port?: number };

/** The message of anything thrown; duck-typed, as errors from Node's core may come from another realm (e.g. a test VM). */
export function errorText(err: unknown): string {
  return typeof err === 'object' && err !== null && typeof (err as Error).message === 'string' ? (err as Error).message : String(err);
}

const CONNECT: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  EADDRNOTAVAIL: 'cannot assign requested address',
};

/** The error text after `Post "URL": ` for a failure below HTTP. */
export function goNetError(err: unknown, ends: SocketEnds): string {
  const e: NodeError = typeof err === 'object' && err !== null && typeof (err as NodeError).message === 'string' ? (err as NodeError) : new Error(errorText(err));
  const code = e.code ?? '';
  const remote = e.address !== undefined && e.port !== undefined ? joinHostPort(e.address, e.port) : ends.remote;
  const connect = CONNECT[code];
  if (connect !== undefined && e.message.includes('connect')) return `dial tcp ${remote}: connect: ${connect}`;
  if (code === 'ENOTFOUND') return `dial tcp: lookup ${ends.lookupHost}: no such host`;
  if (code === 'ECONNRESET') {
    // "socket hang up" and a TLS handshake cut short are a clean close: Go reads EOF.
    if (e.message === 'socket hang up' || e.message.includes('before secure TLS connection')) return 'EOF';
    return ends.local === undefined ? `read tcp ${remote}: read: connection reset by peer` : `read tcp ${ends.local}->${remote}: read: connection reset by peer`;
  }
  if (code === 'EPIPE') return ends.local === undefined ? `write tcp ${remote}: write: broken pipe` : `write tcp ${ends.local}->${remote}: write: broken pipe`;
  if (code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER' || e.message.includes('wrong version number')) {
    return 'http: server gave HTTP response to HTTPS client';
  }
  // Anything else keeps Node's words; Go's would differ.
  return e.message;
}
