import { EventEmitter, once } from 'node:events';
import { PassThrough } from 'node:stream';
import { createLogger } from './log.js';
import { onShutdown } from './shutdown.js';

function setup(fn: () => Promise<void>, timeoutMs?: number) {
  const signals = new EventEmitter();
  const exits = new EventEmitter();
  const codes: number[] = [];
  const out = new PassThrough();
  const lines: string[] = [];
  out.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter((l) => l !== '')));
  onShutdown(fn, {
    log: createLogger({ name: 'test', destination: out }),
    signals,
    exit: (code) => {
      codes.push(code);
      exits.emit('exit', code);
    },
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return { signals, codes, exited: () => once(exits, 'exit'), msgs: () => lines.map((l) => (JSON.parse(l) as { msg: string }).msg) };
}

test.each(['SIGTERM', 'SIGINT'])('%s runs the shutdown once and exits 0', async (signal) => {
  let runs = 0;
  const s = setup(async () => {
    runs++;
  });
  const exited = s.exited();
  s.signals.emit(signal);
  await exited;
  expect(runs).toBe(1);
  expect(s.codes).toEqual([0]);
  expect(s.msgs()).toEqual(['shutdown: signal received, shutting down', 'shutdown: done']);
});

test('a failing shutdown exits 1 and says why', async () => {
  const s = setup(async () => {
    throw new Error('could not release');
  });
  const exited = s.exited();
  s.signals.emit('SIGTERM');
  await exited;
  expect(s.codes).toEqual([1]);
  expect(s.msgs()).toContain('shutdown: failed');
});

test('a shutdown that never finishes exits 1 after the timeout', async () => {
  const s = setup(() => new Promise<void>(() => undefined), 1);
  const exited = s.exited();
  s.signals.emit('SIGTERM');
  await exited;
  expect(s.codes).toEqual([1]);
  expect(s.msgs()).toContain('shutdown: took too long, exiting');
});

test('a second signal during shutdown exits 1 at once; the work is not run twice', async () => {
  let runs = 0;
  let finish: () => void = () => undefined;
  const s = setup(
    () =>
      new Promise<void>((resolve) => {
        runs++;
        finish = resolve;
      }),
  );
  s.signals.emit('SIGTERM');
  s.signals.emit('SIGINT');
  expect(s.codes).toEqual([1]);
  await Promise.resolve();
  finish();
  await s.exited();
  expect(runs).toBe(1);
});
