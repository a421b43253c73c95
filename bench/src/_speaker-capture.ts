// When BGP UPDATEs reach the lab router: tcpdump on the ToR's fabric port, so the speaker
// benchmark can split "speaker to router" from "router to kernel route" (FRR holds received
// routes ~50 ms in bgpd's process queue and ~10 ms in zebra's before it installs them).
import { spawn, type ChildProcess } from 'node:child_process';

export interface BgpSegment {
  /** Kernel receive time, ms since the epoch. */
  readonly atEpochMs: number;
  readonly src: string;
  /** TCP payload octets; a KEEPALIVE alone is 19. */
  readonly length: number;
}

/**
 * One line of `tcpdump -tt -n` ("1795280689.731885 IP 198.18.0.12.59090 > 198.18.0.1.179: Flags
 * [P.], ..., length 28: BGP"); undefined for lines of any other shape.
 */
export function parseTcpdumpLine(line: string): BgpSegment | undefined {
  const m = /^(\d+)\.(\d{6}) IP (\d+\.\d+\.\d+\.\d+)\.\d+ > [^:]+: .*\blength (\d+)/.exec(line);
  if (m === null) return undefined;
  return { atEpochMs: Number(m[1]) * 1000 + Number(m[2]) / 1000, src: m[3]!, length: Number(m[4]) };
}

/** Segments carrying more than a KEEPALIVE: UPDATEs (perhaps with a KEEPALIVE beside them). */
export const carriesUpdate = (s: BgpSegment): boolean => s.length > 19;

export class BgpCapture {
  readonly segments: BgpSegment[] = [];
  private constructor(private readonly proc: ChildProcess) {}

  /** tcpdump in the namespace on dev, BGP segments with data arriving at the router. */
  static async start(namespace: string, dev: string): Promise<BgpCapture> {
    const proc = spawn('ip', ['netns', 'exec', namespace, 'tcpdump', '-i', dev, '-tt', '-n', '-l', '-Q', 'in', 'tcp dst port 179 and (tcp[tcpflags] & tcp-push != 0)'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const c = new BgpCapture(proc);
    let pending = '';
    proc.stdout!.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const s = parseTcpdumpLine(line);
        if (s !== undefined) c.segments.push(s);
      }
    });
    // tcpdump says "listening on ..." on stderr once the capture is armed.
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('bench/speaker-capture: tcpdump did not start within 5 s')), 5_000);
      proc.stderr!.on('data', (d: Buffer) => {
        if (d.toString().includes('listening on')) {
          clearTimeout(t);
          resolve();
        }
      });
      proc.once('error', (err) => reject(new Error(`bench/speaker-capture: cannot run tcpdump: ${err.message}`)));
    });
    return c;
  }

  /** The last UPDATE-carrying segment received in [fromEpochMs, toEpochMs]. */
  lastUpdateBetween(fromEpochMs: number, toEpochMs: number): BgpSegment | undefined {
    let last: BgpSegment | undefined;
    for (const s of this.segments) if (carriesUpdate(s) && s.atEpochMs >= fromEpochMs && s.atEpochMs <= toEpochMs) last = s;
    return last;
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGTERM');
    await exited;
  }
}

/** performance.now() as ms since the epoch, to compare with kernel packet times. */
export const epochMs = (performanceNow: number): number => performance.timeOrigin + performanceNow;
