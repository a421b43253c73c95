// A Connection on a stand-in socket: a big read of UPDATEs is handled in slices with the event
// loop free between them (BFD's timers need it), in order, and nothing read is lost to a close.

import { EventEmitter } from 'node:events';
import type * as net from 'node:net';
import { resolveSessionConfig } from '../fsm/config.js';
import { buildOpen } from '../fsm/open-check.js';
import type { Command } from '../fsm/types.js';
import { serializeMessage, type BgpMessage } from '../wire/message.js';
import { formatPrefix, parsePrefix } from '../wire/nlri.js';
import { packUpdates } from '../wire/pack.js';
import type { UpdateVerdict } from '../wire/validate-update.js';
import { seededRandom } from '../fsm/testing.js';
import { ManualClock } from './clock.js';
import { Connection, RECEIVE_SLICE_BYTES } from './connection.js';

/** Just what Connection uses of a net.Socket; 'data' is emitted by the test. */
class StandInSocket extends EventEmitter {
  readonly written: Uint8Array[] = [];
  pauses = 0;
  private paused = false;
  setNoDelay(): this {
    return this;
  }
  write(bytes: Uint8Array): boolean {
    this.written.push(bytes);
    return true;
  }
  pause(): this {
    this.paused = true;
    this.pauses += 1;
    return this;
  }
  resume(): this {
    this.paused = false;
    return this;
  }
  isPaused(): boolean {
    return this.paused;
  }
  end(): this {
    return this;
  }
  destroy(): this {
    this.emit('close');
    return this;
  }
}

const local = resolveSessionConfig({ localAs: 64512, routerId: '198.18.0.1', peerAs: 64513, passive: true, extendedMessage: false });
const remote = resolveSessionConfig({ localAs: 64513, routerId: '198.18.0.2', peerAs: 64512, extendedMessage: false });
const frames = (...messages: BgpMessage[]) => Buffer.concat(messages.map((m) => serializeMessage(m, { fourOctetAs: true, extendedMessage: false })));
const tick = () => new Promise((r) => setImmediate(r));

/** A passive Connection brought to Established over the stand-in socket; what it hands on is recorded with the tick it came in. */
function established() {
  let ticks = 0;
  const updates: Array<{ tick: number; prefixes: string[] }> = [];
  const states: Array<Extract<Command, { type: 'state-change' }>> = [];
  const connection = new Connection(local, {
    clock: new ManualClock(),
    random: seededRandom(1),
    target: { host: '198.18.0.2', port: 179 },
    onState: (_c, change) => states.push(change),
    onUpdate: (_c, verdict: UpdateVerdict) => updates.push({ tick: ticks, prefixes: verdict.announce.map(formatPrefix) }),
    onRouteRefresh: () => undefined,
    onMessage: () => undefined,
    onError: () => undefined,
  });
  const socket = new StandInSocket();
  connection.handle({ name: 'ManualStart_with_PassiveTcpEstablishment' });
  connection.adopt(socket as unknown as net.Socket);
  socket.emit('data', frames(buildOpen(remote), { type: 'keepalive' }));
  expect(connection.fsm.state).toBe('Established');
  let running = true;
  void (async () => {
    while (running) {
      await tick();
      ticks += 1;
    }
  })();
  return { connection, socket, updates, states, stop: () => (running = false), ticks: () => ticks };
}

/** `count` /32s from 198.19.0.0 packed into classic (4,096-octet) UPDATEs. */
function table(count: number): { bytes: Buffer; prefixes: string[] } {
  const prefixes = Array.from({ length: count }, (_, i) => `198.19.${i >> 8}.${i & 0xff}/32`);
  const announce = prefixes.map((p) => ({ prefix: parsePrefix(p), nextHop: '198.18.0.2', attributes: [{ type: 'origin', value: 'igp' } as const, { type: 'as-path', value: [{ type: 'sequence', asns: [64513] }] } as const] }));
  return { bytes: frames(...packUpdates({ announce, withdraw: [], endOfRib: [] }, { fourOctetAs: true, extendedMessage: false })), prefixes };
}

test('one 60 KB read of UPDATEs is handled in slices of about 16 KB, one per tick, in order; the socket is paused meanwhile', async () => {
  const run = established();
  const { bytes, prefixes } = table(12_000);
  expect(bytes.length).toBeGreaterThan(3 * RECEIVE_SLICE_BYTES);
  run.socket.emit('data', bytes);
  expect(run.socket.isPaused()).toBe(true);
  while (run.updates.flatMap((u) => u.prefixes).length < prefixes.length) await tick();
  run.stop();
  expect(run.updates.flatMap((u) => u.prefixes)).toEqual(prefixes);
  const slices = new Set(run.updates.map((u) => u.tick)).size;
  expect(slices).toBeGreaterThanOrEqual(Math.floor(bytes.length / RECEIVE_SLICE_BYTES));
  expect(run.socket.isPaused()).toBe(false);
});

test('a NOTIFICATION behind the UPDATEs of the same read is handled after every one of them', async () => {
  const run = established();
  const { bytes, prefixes } = table(6_000);
  run.socket.emit('data', Buffer.concat([bytes, frames({ type: 'notification', code: 6, subcode: 2, data: new Uint8Array(0) })]));
  while (run.connection.fsm.state === 'Established') await tick();
  run.stop();
  expect(run.updates.flatMap((u) => u.prefixes)).toEqual(prefixes);
  expect(run.states.at(-1)).toMatchObject({ from: 'Established', to: 'Idle', event: 'NotifMsg' });
});

test('the peer closing while a backlog is left: the backlog first (its NOTIFICATION ends the session), then nothing more', () => {
  const run = established();
  const { bytes, prefixes } = table(6_000);
  run.socket.emit('data', Buffer.concat([bytes, frames({ type: 'notification', code: 6, subcode: 4, data: new Uint8Array(0) })]));
  expect(run.updates.flatMap((u) => u.prefixes).length).toBeLessThan(prefixes.length);
  run.socket.emit('close');
  run.stop();
  expect(run.updates.flatMap((u) => u.prefixes)).toEqual(prefixes);
  expect(run.states.filter((s) => s.to === 'Idle')).toMatchObject([{ event: 'NotifMsg' }]);
});

test('a small read is handled at once, and the socket never paused', () => {
  const run = established();
  const { bytes, prefixes } = table(100);
  run.socket.emit('data', bytes);
  run.stop();
  expect(run.updates.flatMap((u) => u.prefixes)).toEqual(prefixes);
  expect(run.socket.pauses).toBe(0);
});
