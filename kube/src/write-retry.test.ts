import { ApiException } from '@kubernetes/client-node';
import { ConfigError, HttpError } from './errors.js';
import { writeWithRetry } from './write-retry.js';

interface Doc {
  version: number;
  ips: string[];
}

/** An object with optimistic concurrency, and a rival writer that gets in first `rivalWrites` times. */
function store(rivalWrites: number, conflict: (v: number) => unknown = (v) => new HttpError(409, 'PUT', '/x', undefined, `rest: conflict at ${v}`)) {
  let doc: Doc = { version: 1, ips: [] };
  let rivals = rivalWrites;
  const log: string[] = [];
  return {
    log,
    current: () => doc,
    read: async (): Promise<Doc> => {
      log.push(`read v${doc.version}`);
      const seen = structuredClone(doc);
      // The rival writes between our read and our write.
      if (rivals-- > 0) doc = { version: doc.version + 1, ips: [...doc.ips, `rival-${doc.version}`] };
      return seen;
    },
    write: async (next: Doc): Promise<Doc> => {
      if (next.version !== doc.version) {
        log.push(`409 on v${next.version}`);
        throw conflict(next.version);
      }
      doc = { version: doc.version + 1, ips: next.ips };
      log.push(`wrote v${doc.version}`);
      return doc;
    },
  };
}
const addIp = (ip: string) => (d: Doc) => (d.ips.includes(ip) ? undefined : { ...d, ips: [...d.ips, ip] });

test.each([
  [0, ['read v1', 'wrote v2'], ['me']],
  [1, ['read v1', '409 on v1', 'read v2', 'wrote v3'], ['rival-1', 'me']],
  [2, ['read v1', '409 on v1', 'read v2', '409 on v2', 'read v3', 'wrote v4'], ['rival-1', 'rival-2', 'me']],
])('%i rival writes: re-read and re-decide each time, keeping what the rival wrote', async (rivals, log, ips) => {
  const s = store(rivals);
  const out = await writeWithRetry(s.read, addIp('me'), s.write);
  expect(s.log).toEqual(log);
  expect(out?.ips).toEqual(ips);
  expect(s.current().ips).toEqual(ips);
});

test('nothing to write: resolves undefined without writing', async () => {
  const s = store(0);
  await writeWithRetry(s.read, addIp('me'), s.write);
  expect(await writeWithRetry(s.read, addIp('me'), s.write)).toBeUndefined();
  expect(s.log).toEqual(['read v1', 'wrote v2', 'read v2']);
});

test('gives up after the attempts with the last 409', async () => {
  const s = store(10);
  await expect(writeWithRetry(s.read, addIp('me'), s.write, { attempts: 3 })).rejects.toThrow('rest: conflict at 3');
  expect(s.log.filter((l) => l.startsWith('409'))).toHaveLength(3);
});

test("client-node's ApiException 409 counts as a conflict too", async () => {
  const s = store(1, () => new ApiException(409, 'Conflict', { kind: 'Status', code: 409 }, {}));
  expect((await writeWithRetry(s.read, addIp('me'), s.write))?.ips).toEqual(['rival-1', 'me']);
});

test('other errors are not retried', async () => {
  let reads = 0;
  const err = new HttpError(422, 'PUT', '/x', undefined, 'rest: invalid');
  await expect(
    writeWithRetry(
      async () => ++reads,
      (n) => n,
      async () => {
        throw err;
      },
    ),
  ).rejects.toBe(err);
  expect(reads).toBe(1);
});

test.each([0, -1, 1.5])('attempts %p is refused', async (attempts) => {
  await expect(writeWithRetry(async () => 1, () => 1, async () => 1, { attempts })).rejects.toThrow(new ConfigError(`write-retry: attempts must be a positive integer, got ${attempts}`));
});
