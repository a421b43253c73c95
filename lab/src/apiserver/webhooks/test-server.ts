// Test-only HTTPS webhook servers on 127.0.0.1: each answers AdmissionReviews with a scripted reply
// and records what it was sent, so tests check both sides of a real call.

import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonObject } from '../json.js';

export interface Received {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly review: JsonObject;
}

/** What the server does with one review: `respond` writes the reply (or never does, to time out). */
export type Script = (review: JsonObject, res: ServerResponse) => void;

export interface TestWebhookServer {
  readonly port: number;
  readonly url: string;
  readonly received: Received[];
  setScript(script: Script): void;
  close(): Promise<void>;
}

/** Replies with an AdmissionReview echoing the request uid; `response` fields are merged in. */
export function answer(response: JsonObject, extra: { status?: number; uid?: string } = {}): Script {
  return (review, res) => {
    const request = (review['request'] ?? {}) as JsonObject;
    const body = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: extra.uid ?? request['uid'] ?? '', ...response } });
    res.writeHead(extra.status ?? 200, { 'content-type': 'application/json' });
    res.end(body);
  };
}

export function raw(status: number, body: string, contentType = 'text/plain'): Script {
  return (_review, res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  };
}

/** Accepts the request and never answers (until the server closes). */
export const hang: Script = () => undefined;

export async function startWebhookServer(tls: { cert: string; key: string }, script: Script, path = '/validate'): Promise<TestWebhookServer> {
  let current = script;
  const received: Received[] = [];
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as JsonObject;
      received.push({ path: req.url ?? '', headers: req.headers, review });
      current(review, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `https://127.0.0.1:${port}${path}`,
    received,
    setScript: (s) => {
      current = s;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
