// RSS of a speaker process holding 100,000 routes for each of 2 peers: the announcer child
// sends its table over loopback to two receiving speakers in this process, then reports memory.

import { BgpSpeaker } from 'bgp-speaker-ts';
import { AnnouncerChild } from './_bgp-child.js';

export interface RssFigure {
  readonly routes: number;
  readonly peers: number;
  readonly emptyRssMb: number;
  readonly loadedRssMb: number;
  readonly rssMb: number;
  readonly heapMb: number;
}

const SENDER = '127.0.0.1';

/** Receivers on 127.0.0.2, 127.0.0.3...: loopback only, nothing leaves the machine. */
export async function measureRss(routes: number, peers: number, timeoutMs: number): Promise<RssFigure> {
  const receivers: BgpSpeaker[] = [];
  let child: AnnouncerChild | undefined;
  try {
    for (let i = 0; i < peers; i++) {
      const address = `127.0.0.${i + 2}`;
      const receiver = new BgpSpeaker({ localAs: 64600 + i, routerId: address, listen: { address, port: 0 } });
      await receiver.start();
      receiver.addPeer({ address: SENDER, peerAs: 64513, passive: true });
      receivers.push(receiver);
    }
    child = AnnouncerChild.start({
      count: routes,
      localAs: 64513,
      routerId: SENDER,
      // 127.0.0.1 is no next hop a receiver accepts (RFC 7606 treat-as-withdraw), so the routes name the lab's.
      peers: receivers.map((r, i) => ({ address: `127.0.0.${i + 2}`, port: r.listenPort, peerAs: 64600 + i, sourceAddress: SENDER, nextHop: { ipv4: '198.18.0.2' } })),
    });
    const ready = await child.waitFor((l) => l.event === 'ready', 120_000);
    child.send('go');
    const t0 = Date.now();
    while (receivers.some((r) => (r.status()[0]?.counters.prefixesAccepted ?? 0) < routes)) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`bgp-rss: receivers hold ${receivers.map((r) => r.status()[0]?.counters.prefixesAccepted ?? 0).join(', ')} of ${routes}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const from = child.lines.length;
    child.send('rss');
    const rss = await child.waitFor((l) => l.event === 'rss', 30_000, from);
    const figure = (line: unknown, key: string): number => Number((line as Record<string, unknown>)[key]);
    return {
      routes,
      peers,
      emptyRssMb: figure(ready['empty'], 'rss_mb'),
      loadedRssMb: figure(ready['loaded'], 'rss_mb'),
      rssMb: figure(rss, 'rss_mb'),
      heapMb: figure(rss, 'heap_mb'),
    };
  } finally {
    await child?.stop();
    for (const r of receivers) await r.stop();
  }
}
