// Test-only: one HTTPS request to a webhook server on 127.0.0.1 the way the API server makes it
// (the caBundle as the only trust, the Service's DNS name as the server name), a fresh connection
// each time so a swapped certificate shows.
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';

export interface WebhookReply {
  readonly status: number;
  readonly text: string;
  /** SHA-256 fingerprint of the certificate the server presented. */
  readonly fingerprint: string;
}

export function callWebhook(port: number, opts: { ca: string; servername: string; method?: string; path?: string; body?: string }): Promise<WebhookReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'POST',
        path: opts.path ?? '/validate?timeout=5s',
        ca: opts.ca,
        servername: opts.servername,
        agent: false,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), fingerprint }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}
