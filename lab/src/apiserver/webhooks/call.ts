// POSTs an AdmissionReview to a webhook over HTTPS the way kube-apiserver's webhook client does: URL or
// Service reference, the caBundle as the only trust, timeoutSeconds as the deadline, failures in Go's words.

import { X509Certificate } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { isIP } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { JsonObject } from '../json.js';
import type { Webhook } from './config.js';
import { goQuote } from '../go-text.js';
import { errorText, goNetError, joinHostPort, type SocketEnds } from './net-errors.js';
import { decodeWebhookResponse, type DecodedReview } from './response-body.js';
import { verifyServerCertificate } from './tls-verify.js';

export interface ServiceRef {
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
}

/** Where a Service reference can be reached from this process (the lab has no cluster DNS or kube-proxy on the host). */
export interface Address {
  readonly host: string;
  readonly port: number;
}

/**
 * Resolves a webhook's Service to a dialable address, as kube-apiserver's service resolver does. Throw an
 * Error worded like the real resolver (e.g. `service "NAME" not found`): its message lands in the failure text.
 */
export type ServiceResolver = (ref: ServiceRef) => Address | Promise<Address>;

/** `error` is the text after `failed calling webhook "NAME": `. */
export type CallResult = { ok: true; review: DecodedReview } | { ok: false; error: string };

interface Target {
  /** As Go prints the request URL, `?timeout=` included. */
  readonly url: string;
  readonly requestPath: string;
  readonly hostHeader: string;
  /** Name checked against the certificate (and sent as SNI unless an IP). */
  readonly serverName: string;
  readonly address: () => Promise<Address>;
}

/** path.Join("/", p): rooted, cleaned, no trailing slash. */
export function cleanPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

function targetOf(webhook: Webhook, resolve: ServiceResolver): Target | { error: string } {
  const query = `?timeout=${webhook.timeoutSeconds}s`;
  const svc = webhook.clientConfig.service;
  if (svc !== undefined) {
    const serverName = `${svc.name}.${svc.namespace}.svc`;
    const hostHeader = joinHostPort(serverName, svc.port);
    const path = cleanPath(svc.path ?? '') + query;
    return { url: `https://${hostHeader}${path}`, requestPath: path, hostHeader, serverName, address: async () => resolve({ namespace: svc.namespace, name: svc.name, port: svc.port }) };
  }
  const raw = webhook.clientConfig.url;
  if (raw === undefined || raw === '') return { error: `failed calling webhook ${goQuote(webhook.name)}: webhook configuration must have either service or URL` };
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(raw);
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = undefined;
  }
  if (m === null || parsed === undefined) return { error: `Unparsable URL: parse ${goQuote(raw)}: invalid URL` };
  // The API refuses other schemes on write; a stored one is refused here rather than called in clear text.
  if (parsed.protocol !== 'https:') return { error: `webhook URL ${goQuote(raw)}: 'https' is the only allowed URL scheme` };
  const host = m[2] ?? '';
  const hostname = parsed.hostname.replace(/^\[|\]$/g, '');
  const port = parsed.port === '' ? 443 : Number(parsed.port);
  const path = cleanPath(m[3] ?? '') + query;
  return { url: `https://${host}${path}`, requestPath: path, hostHeader: host, serverName: hostname, address: () => Promise.resolve({ host: hostname, port }) };
}

/** The caBundle as PEM, refused as client-go's rootCertPool refuses it. */
function caOf(caBundle: string | undefined): { pem: string | undefined } | { error: string } {
  if (caBundle === undefined || caBundle === '') return { pem: undefined };
  const pem = Buffer.from(caBundle, 'base64').toString('utf8');
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(pem)) return { error: 'unable to parse bytes as PEM block' };
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (e) {
      return { error: `failed to parse certificate: ${errorText(e)}` };
    }
  }
  if (blocks.length === 0) return { error: 'no valid certificate authority data seen' };
  return { pem };
}

type Phase = 'dial' | 'wait' | 'body';

function post(webhook: Webhook, target: Target, ca: string | undefined, body: string): Promise<CallResult> {
  return new Promise((resolve) => {
    let settled = false;
    let phase: Phase = 'dial';
    let socket: TLSSocket | undefined;
    const ends: { remote: string; local: string | undefined; lookupHost: string } = { remote: target.hostHeader, local: undefined, lookupHost: target.serverName };
    const finish = (r: CallResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket?.destroy();
      resolve(r);
    };
    const fail = (why: string): void => {
      finish({ ok: false, error: phase === 'body' ? `failed to call webhook: unexpected error when reading response body. Please retry. Original error: ${why}` : `failed to call webhook: Post ${goQuote(target.url)}: ${why}` });
    };
    const onError = (err: unknown): void => {
      const e = err as { code?: string; message?: string };
      fail(phase === 'body' && (e.code === 'ECONNRESET' || e.message === 'aborted') ? 'unexpected EOF' : goNetError(err, ends as SocketEnds));
    };
    const timer = setTimeout(() => fail('context deadline exceeded'), webhook.timeoutSeconds * 1000);

    const send = (s: TLSSocket): void => {
      const req = httpRequest({
        method: 'POST',
        path: target.requestPath,
        headers: {
          host: target.hostHeader,
          'user-agent': 'kube-apiserver-admission',
          'content-type': 'application/json',
          accept: 'application/json, */*',
          'content-length': String(Buffer.byteLength(body)),
        },
        createConnection: () => s,
      });
      req.on('error', onError);
      req.once('response', (res) => {
        phase = 'body';
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', onError);
        res.once('aborted', () => onError(new Error('aborted')));
        res.once('end', () => {
          const decoded = decodeWebhookResponse(res.statusCode ?? 0, res.headers['content-type'], Buffer.concat(chunks));
          finish(decoded.ok ? decoded : { ok: false, error: `failed to call webhook: ${decoded.error}` });
        });
      });
      req.end(body);
    };

    target.address().then(
      (addr) => {
        if (settled) return;
        ends.remote = joinHostPort(addr.host, addr.port);
        const opts: ConnectionOptions = { host: addr.host, port: addr.port, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] };
        if (isIP(target.serverName) === 0) opts.servername = target.serverName;
        if (ca !== undefined) opts.ca = ca;
        const s = tlsConnect(opts);
        socket = s;
        s.on('error', onError);
        s.once('secureConnect', () => {
          ends.local = joinHostPort(s.localAddress ?? '', s.localPort ?? 0);
          // Node gives the OpenSSL verify code (a string in practice, typed as an Error).
          const reason: unknown = s.authorizationError;
          const authError = s.authorized ? undefined : typeof reason === 'string' ? Object.assign(new Error(reason), { code: reason }) : (reason as Error & { code?: string });
          const bad = verifyServerCertificate(s.getPeerCertificate(), target.serverName, authError);
          if (bad !== undefined) return fail(bad);
          phase = 'wait';
          send(s);
        });
      },
      (err: unknown) => fail(errorText(err)),
    );
  });
}

/** Calls the webhook once; never throws. */
export async function callWebhook(webhook: Webhook, review: JsonObject, resolveService: ServiceResolver): Promise<CallResult> {
  const target = targetOf(webhook, resolveService);
  if ('error' in target) return { ok: false, error: `could not get REST client: ${target.error}` };
  const ca = caOf(webhook.clientConfig.caBundle);
  if ('error' in ca) return { ok: false, error: `could not get REST client: unable to load root certificates: ${ca.error}` };
  return post(webhook, target, ca.pem, JSON.stringify(review));
}
