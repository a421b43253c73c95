// The ExaBGP API plumbing without root: command text for the FIFO, and the FIFO reader
// script run for real with sh, a FIFO in a temp dir, and a stdin that ExaBGP would fill.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError } from './errors.js';
import { EXABGP_API_READER, exabgpApiText } from './routers.js';

describe('exabgpApiText', () => {
  test.each([
    [['announce route 203.0.113.78/32 next-hop self'], 'announce route 203.0.113.78/32 next-hop self\n'],
    [['announce route 203.0.113.78/32 next-hop self', 'withdraw route 203.0.113.77/32'], 'announce route 203.0.113.78/32 next-hop self\nwithdraw route 203.0.113.77/32\n'],
  ])('%j is one line per command', (commands, text) => {
    expect(exabgpApiText(commands)).toBe(text);
  });

  test.each([
    [[], /no command given/],
    [[''], /"" is not one non-empty line/],
    [['   '], /is not one non-empty line/],
    [['announce route 203.0.113.78/32 next-hop self\nshutdown'], /is not one non-empty line/],
    [['withdraw route 203.0.113.77/32\r'], /is not one non-empty line/],
  ])('%j is refused with a LabError from lab/routers', (commands, message) => {
    const f = () => exabgpApiText(commands);
    expect(f).toThrow(LabError);
    expect(f).toThrow(/^lab\/routers: ExaBGP API: /);
    expect(f).toThrow(message);
  });
});

describe('EXABGP_API_READER', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hl-exabgp-api-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('copies FIFO lines to stdout across writers and drains stdin (ExaBGP answers) without EPIPE', async () => {
    const script = join(dir, 'exabgp-api');
    const fifo = join(dir, 'exabgp.api');
    writeFileSync(script, EXABGP_API_READER, { mode: 0o755 });
    execFileSync('mkfifo', ['-m', '600', fifo]);
    const child = spawn('sh', [script], { env: { ...process.env, HL_EXABGP_API: fifo }, stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    let out = '';
    child.stdout.setEncoding('utf8');
    const seen = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => out.split('\n').length > n && resolve();
        child.stdout.on('data', (d: string) => {
          out += d;
          check();
        });
        check();
      });
    try {
      // ExaBGP's "done" per command: far more than a pipe holds (64 KiB), which only a reader takes.
      const answers = 'done\n'.repeat(60_000);
      const stdinWritten = new Promise<void>((resolve, reject) => child.stdin.write(answers, (err) => (err == null ? resolve() : reject(err))));
      // Two writers one after the other: the reader must not stop at the first one's close.
      await writeFile(fifo, 'announce route 203.0.113.78/32 next-hop self\n');
      await writeFile(fifo, 'withdraw route 203.0.113.77/32\n');
      await seen(2);
      await stdinWritten;
      expect(out).toBe('announce route 203.0.113.78/32 next-hop self\nwithdraw route 203.0.113.77/32\n');
    } finally {
      child.stdin.end();
      child.kill('SIGTERM');
      await exited;
    }
  });
});
