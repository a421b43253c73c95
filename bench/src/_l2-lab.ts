// The l2 benchmark's network: two namespaces joined by a veth pair, a client and a responder
// node. The responder's kernel owns 198.18.251.1 (the kernel baseline); the service IP
// 203.0.113.20 is configured nowhere, so only the Headland responder answers for it.

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { lab } from '@headland/lab';

export const CLIENT_NS = 'hl-l2r-bc';
export const NODE_NS = 'hl-l2r-bs';
export const CLIENT_IF = 'hl-l2r-bc0';
export const NODE_IF = 'hl-l2r-bs0';
export const CLIENT_MAC = '02:00:00:00:fb:02';
export const NODE_MAC = '02:00:00:00:fb:01';
export const CLIENT_IP = '198.18.251.2';
export const KERNEL_IP = '198.18.251.1';
export const SERVICE_IP = '203.0.113.20';

const ROOT = new URL('../../', import.meta.url).pathname;
export const RESPONDER = `${ROOT}speaker/dist/l2/responder/main.js`;

const sh = (argv: string[]) => lab.run(argv);
const inNs = (ns: string, argv: string[]) => lab.run(['ip', 'netns', 'exec', ns, ...argv]);

export async function teardown(): Promise<void> {
  for (const ns of [CLIENT_NS, NODE_NS]) await lab.tryRun(['ip', 'netns', 'del', ns]);
}

export async function setup(): Promise<void> {
  await teardown();
  await sh(['ip', 'netns', 'add', CLIENT_NS]);
  await sh(['ip', 'netns', 'add', NODE_NS]);
  await sh(['ip', 'link', 'add', CLIENT_IF, 'netns', CLIENT_NS, 'address', CLIENT_MAC, 'type', 'veth', 'peer', 'name', NODE_IF, 'netns', NODE_NS, 'address', NODE_MAC]);
  for (const [ns, ifname, ip] of [
    [CLIENT_NS, CLIENT_IF, CLIENT_IP],
    [NODE_NS, NODE_IF, KERNEL_IP],
  ] as const) {
    await inNs(ns, ['ip', 'link', 'set', 'lo', 'up']);
    await inNs(ns, ['ip', 'link', 'set', ifname, 'up']);
    await inNs(ns, ['ip', 'addr', 'add', `${ip}/24`, 'dev', ifname]);
  }
}

/** The standalone responder in the node namespace, driven over stdin. */
export class ResponderProcess {
  private readonly child: ChildProcess;
  private readonly waiting: Array<(line: Record<string, unknown>) => boolean> = [];

  constructor(args: string[]) {
    this.child = spawn('ip', ['netns', 'exec', NODE_NS, process.execPath, RESPONDER, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.child.stdout! }).on('line', (text) => {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return;
      }
      const i = this.waiting.findIndex((w) => w(line));
      if (i >= 0) this.waiting.splice(i, 1);
    });
  }

  next(event: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`l2 bench: no "${event}" from the responder in ${timeoutMs} ms`)), timeoutMs);
      this.waiting.push((line) => {
        if (line['event'] !== event) return false;
        clearTimeout(timer);
        resolve(line);
        return true;
      });
    });
  }

  async stats(): Promise<Record<string, unknown>> {
    const reply = this.next('stats');
    this.child.stdin!.write('stats\n');
    return (await reply)['counters'] as Record<string, unknown>;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin!.end();
    await exited;
  }
}
