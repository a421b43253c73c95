// The failover benchmark's client, run inside the lab's client namespace: opens a TCP connection
// to HOST:PORT every INTERVAL ms (each on its own, with a timeout) for DURATION ms, then prints
// one JSON array of attempts {start, end, ok} in ms since the epoch (same clock as the bench).
import { connect } from 'node:net';
import type { Attempt } from './_l2-failover.js';

const [host, port, intervalMs, timeoutMs, durationMs] = [process.argv[2] ?? '', ...process.argv.slice(3, 7).map(Number)];
if (host === '' || ![port, intervalMs, timeoutMs, durationMs].every((n) => Number.isFinite(n) && n! > 0)) {
  console.error('bench/l2-failover-probe: usage: HOST PORT INTERVAL_MS TIMEOUT_MS DURATION_MS');
  process.exit(2);
}

const attempts: Attempt[] = [];
const pending = new Set<Promise<void>>();

function attempt(): void {
  const start = Date.now();
  const done = new Promise<void>((resolve) => {
    const socket = connect({ host, port: port!, timeout: timeoutMs! });
    const finish = (ok: boolean) => {
      attempts.push({ start, end: Date.now(), ok });
      socket.destroy();
      resolve();
    };
    socket.once('connect', () => finish(true));
    socket.once('timeout', () => finish(false));
    socket.once('error', () => finish(false));
  });
  pending.add(done);
  void done.then(() => pending.delete(done));
}

const began = Date.now();
const timer = setInterval(() => {
  if (Date.now() - began >= durationMs!) {
    clearInterval(timer);
    void Promise.all(pending).then(() => console.log(JSON.stringify(attempts.sort((a, b) => a.start - b.start))));
    return;
  }
  attempt();
}, intervalMs!);
