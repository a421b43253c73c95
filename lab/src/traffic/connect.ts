// Opens the connections of one traffic run from wherever it runs (the client script runs it
// inside a client namespace): bounded concurrency, a timeout per connection, one outcome each.

import { createSocket } from 'node:dgram';
import { createConnection } from 'node:net';
import { parseReply } from '../echo/reply.js';
import { checkTrafficOptions, type Target, type TrafficOptions } from './options.js';
import { summarize, type Outcome, type TrafficSummary } from './summary.js';

const MAX_REPLY_BYTES = 4096;

function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : 'error';
}

function fromLine(data: string): Outcome {
  try {
    return { ok: true, reply: parseReply(data.trim()) };
  } catch {
    return { ok: false, reason: 'bad reply' };
  }
}

/** Stamps a failure with when its connection started and ended. */
function timed(o: Outcome, startedAt: number): Outcome {
  return o.ok ? o : { ...o, startedAt, endedAt: Date.now() };
}

function tcpOnce(target: Target, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let data = '';
    let settled = false;
    const startedAt = Date.now();
    const sock = createConnection({ host: target.host, port: target.port });
    const finish = (o: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(timed(o, startedAt));
    };
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout' }), timeoutMs);
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => {
      data += chunk;
      if (data.length > MAX_REPLY_BYTES) finish({ ok: false, reason: 'bad reply' });
    });
    sock.on('end', () => finish(data === '' ? { ok: false, reason: 'closed without reply' } : fromLine(data)));
    sock.on('error', (err) => finish({ ok: false, reason: reasonOf(err) }));
  });
}

function udpOnce(target: Target, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const sock = createSocket(target.family === 4 ? 'udp4' : 'udp6');
    let settled = false;
    const startedAt = Date.now();
    const finish = (o: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.close();
      resolve(timed(o, startedAt));
    };
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout' }), timeoutMs);
    sock.on('message', (msg) => finish(fromLine(msg.toString('utf8'))));
    sock.on('error', (err) => finish({ ok: false, reason: reasonOf(err) }));
    sock.send('ping\n', target.port, target.host, (err) => {
      if (err) finish({ ok: false, reason: reasonOf(err) });
    });
  });
}

/** Runs `count` connections, at most `concurrency` at a time, and summarizes them. */
export async function runConnections(options: TrafficOptions): Promise<TrafficSummary> {
  const opts = checkTrafficOptions(options);
  const once = opts.protocol === 'tcp' ? tcpOnce : udpOnce;
  const outcomes: Outcome[] = [];
  let next = 0;
  const started = Date.now();
  const worker = async () => {
    while (next < opts.count) {
      next++;
      outcomes.push(await once(opts.parsedTarget, opts.timeoutMs));
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.count) }, worker));
  return summarize(opts.target, outcomes, Date.now() - started);
}
