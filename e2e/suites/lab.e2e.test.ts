// The lab runner against the real kernel and real routers. NEEDS ROOT (network namespaces,
// veths, bridges, daemons); without root the suite is skipped with a message saying so.
// Labs here are built one at a time; each test removes its lab and checks nothing is left.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { lab } from '@headland/lab';

const { startLab, downLab, downAll, waitEstablished, bgpTable, routerRib, nodeFib, findRoute, frrVtysh, run, naming } = lab;
const topologies = new URL('../../lab/topologies/', import.meta.url).pathname;
const isRoot = process.getuid?.() === 0;
const describeRoot = isRoot ? describe : describe.skip;
if (!isRoot) console.warn('lab.e2e: skipped, building labs needs root (ip netns, veth, bridges)');

/** What of a lab is still on the machine: namespaces, root links, live (non-zombie) processes. */
function leftovers(name: string): string[] {
  const ns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(naming.namespacePrefix(name)));
  const links = (JSON.parse(execFileSync('ip', ['-j', 'link', 'show'], { encoding: 'utf8' })) as { ifname: string }[])
    .map((l) => l.ifname)
    .filter((n) => n.startsWith(naming.linkPrefix(name)));
  // pgrep would count zombies, which this machine's pid 1 never reaps.
  const procs = execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('Z'))
    .filter((l) => l.includes(naming.namespacePrefix(name)) || l.includes(`${naming.runDir(name)}/`));
  return [...ns.map((n) => `netns ${n}`), ...links.map((l) => `link ${l}`), ...procs.map((p) => `process ${p.trim()}`)];
}

/** A BIRD in a k8s-node standing in for the speaker: one eBGP session to the ToR, one service route. */
async function standInSpeaker(l: lab.Lab, node: string, address: string, service: string): Promise<void> {
  const conf = `${naming.nodeRunDir(l.name, node)}/standin.bird.conf`;
  writeFileSync(conf, `router id ${address};
protocol device {}
protocol static svc { ipv4; route ${service}/32 blackhole; }
protocol bgp tor { local ${address} as 64513; neighbor 198.18.0.1 as 64512; connect retry time 1; error wait time 1, 3; ipv4 { import none; export where proto = "svc"; }; }
`);
  await l.spawn(node, ['bird', '-f', '-c', conf, '-s', `${naming.nodeRunDir(l.name, node)}/standin.ctl`]);
}

const pingable: Record<string, { file: string; client: string; targets: string[]; router?: { node: string; kind: 'frr' | 'bird' | 'gobgp' } }> = {
  'frr-tor': { file: 'frr-tor/frr-tor.clab.yml', client: 'client', targets: ['198.18.0.11'], router: { node: 'tor', kind: 'frr' } },
  'bird-tor': { file: 'bird-tor/bird-tor.clab.yml', client: 'client', targets: ['198.18.0.11'], router: { node: 'tor', kind: 'bird' } },
  'gobgp-tor': { file: 'gobgp-tor/gobgp-tor.clab.yml', client: 'client', targets: ['198.18.0.11'], router: { node: 'tor', kind: 'gobgp' } },
  'l2-flat': { file: 'l2-flat/l2-flat.clab.yml', client: 'client', targets: ['198.18.10.11'] },
  'frr-tor-dualstack': { file: 'frr-tor-dualstack/frr-tor-dualstack.clab.yml', client: 'client', targets: ['198.18.0.11', '2001:db8:ff00::11'], router: { node: 'tor', kind: 'frr' } },
};

describeRoot('lab runner (root)', () => {
  afterAll(async () => {
    for (const name of [...Object.keys(pingable), 'exabgp-frr']) await downLab(name);
  });

  test.each(Object.entries(pingable))('%s comes up, its router answers, the client reaches a node, down leaves nothing', async (name, t) => {
    const l = await startLab(topologies + t.file);
    try {
      expect(l.name).toBe(name);
      if (t.router !== undefined) {
        // Each router answers its own CLI (the start-up already waited for that; ask again).
        if (t.router.kind === 'frr') expect(await run(frrVtysh(name, t.router.node, 'show version'))).toMatch(/FRRouting 8/);
        if (t.router.kind === 'bird') expect(await run(lab.birdc(name, t.router.node, 'show', 'status'))).toMatch(/Daemon is up and running/);
        if (t.router.kind === 'gobgp') expect(JSON.parse(await run(lab.gobgpCli(name, t.router.node, 'global', '-j')))).toMatchObject({ asn: 64512 });
      }
      for (const target of t.targets) {
        expect(await l.exec(t.client, ['ping', '-c', '1', '-W', '2', target])).toMatch(/1 received/);
      }
      // A pod reaches its node's bridge, and the node reaches the test API server's address.
      expect(await l.exec('node1/pod-a', ['ping', '-c', '1', '-W', '2', name === 'l2-flat' ? '198.18.111.1' : '198.18.101.1'])).toMatch(/1 received/);
      expect(await l.exec('node1', ['ping', '-c', '1', '-W', '2', '198.19.255.1'])).toMatch(/1 received/);
    } finally {
      const report = await l.down();
      expect(report.problems).toEqual([]);
    }
    expect(leftovers(name)).toEqual([]);
  });

  test.each(['frr', 'bird', 'gobgp'] as const)('a %s ToR establishes with stand-in speakers and shows both paths', async (kind) => {
    const l = await startLab(`${topologies}${kind}-tor/${kind}-tor.clab.yml`);
    try {
      await standInSpeaker(l, 'node1', '198.18.0.11', '203.0.113.20');
      await standInSpeaker(l, 'node2', '198.18.0.12', '203.0.113.20');
      const sessions = await waitEstablished(l.name, 'tor', kind, { count: 2 }, 30_000);
      expect(sessions.filter((s) => s.established)).toHaveLength(2);
      const route = await lab.waitFor(() => bgpTable(l.name, 'tor', kind), (rs) => (findRoute(rs, '203.0.113.20/32')?.paths.length ?? 0) === 2, { timeoutMs: 15_000, what: 'two BGP paths' });
      expect(findRoute(route, '203.0.113.20/32')!.paths.map((p) => p.nexthops[0]?.via).sort()).toEqual(['198.18.0.11', '198.18.0.12']);
      if (kind !== 'gobgp') {
        // FRR and BIRD install ECMP in the kernel; GoBGP runs without zebra (RIB only).
        const fib = await lab.waitFor(() => nodeFib(l.name, 'tor'), (rs) => (findRoute(rs, '203.0.113.20')?.paths[0]?.nexthops.length ?? 0) === 2, { timeoutMs: 15_000, what: 'an ECMP kernel route' });
        expect(findRoute(fib, '203.0.113.20')!.paths[0]!.nexthops.map((n) => n.via).sort()).toEqual(['198.18.0.11', '198.18.0.12']);
      }
    } finally {
      await l.down();
    }
    expect(leftovers(`${kind}-tor`)).toEqual([]);
  });

  test('a static route to two nodes on the FRR router shows two nexthops in its RIB and in the kernel FIB', async () => {
    const l = await startLab(topologies + 'frr-tor/frr-tor.clab.yml');
    try {
      await run(frrVtysh(l.name, 'tor', 'configure terminal', 'ip route 203.0.113.10/32 198.18.0.11', 'ip route 203.0.113.10/32 198.18.0.12'));
      const rib = await lab.waitFor(() => routerRib(l.name, 'tor', 'frr'), (rs) => findRoute(rs, '203.0.113.10/32')?.paths[0]?.best === true, { timeoutMs: 10_000, what: 'the static route selected in the RIB' });
      const path = findRoute(rib, '203.0.113.10/32')!.paths[0]!;
      expect(path).toMatchObject({ source: 'static', best: true });
      expect(path.nexthops.map((n) => n.via).sort()).toEqual(['198.18.0.11', '198.18.0.12']);
      const fib = await lab.waitFor(() => nodeFib(l.name, 'tor'), (rs) => findRoute(rs, '203.0.113.10') !== undefined, { timeoutMs: 10_000, what: 'the static route in the FIB' });
      const hops = findRoute(fib, '203.0.113.10/32')!.paths[0]!.nexthops;
      expect(hops.map((n) => [n.via, n.weight]).sort()).toEqual([['198.18.0.11', 1], ['198.18.0.12', 1]]);
    } finally {
      await l.down();
    }
  });

  test('an ExaBGP node feeds FRR: config route with community and MED, then API announce and withdraw', async () => {
    const l = await startLab(topologies + 'exabgp-frr/exabgp-frr.clab.yml');
    const route = (prefix: string) => lab.frrBgpRoute(l.name, 'frr', prefix);
    try {
      await waitEstablished(l.name, 'frr', 'frr', { peers: ['198.18.2.2'] }, 15_000);
      // FRR shows a received route before best-path selection has run (its process queue holds
      // routes ~50 ms), so wait for the selection, not only for the route.
      const first = await lab.waitFor(() => route('203.0.113.77/32'), (r) => r?.paths[0]?.best === true, { timeoutMs: 10_000, what: '203.0.113.77/32 selected at FRR' });
      expect(first!.paths).toHaveLength(1);
      expect(first!.paths[0]).toMatchObject({ source: '198.18.2.2', best: true, asPath: '64520', nexthops: [{ via: '198.18.2.2' }], attributes: { community: '64520:77', med: '150' } });
      // Thousands of commands first: ExaBGP answers each one on the API process's stdin, and
      // once those answers had no reader it dropped the session (EPIPE) after about 800.
      const churn = Array.from({ length: 2000 }, (_, i) => `${i % 2 === 0 ? 'announce' : 'withdraw'} route 203.0.113.90/32${i % 2 === 0 ? ' next-hop self' : ''}`);
      for (let i = 0; i < churn.length; i += 500) await lab.exabgpApi(l.name, 'exabgp', ...churn.slice(i, i + 500));
      await lab.exabgpApi(l.name, 'exabgp', 'announce route 203.0.113.78/32 next-hop self community [64520:78] med 20', 'withdraw route 203.0.113.77/32');
      const table = await lab.waitFor(
        () => bgpTable(l.name, 'frr', 'frr'),
        (rs) => findRoute(rs, '203.0.113.78/32') !== undefined && findRoute(rs, '203.0.113.77/32') === undefined,
        { timeoutMs: 10_000, what: '203.0.113.78/32 in and 203.0.113.77/32 out at FRR' },
      );
      expect(table.map((r) => r.prefix)).toEqual(['203.0.113.78/32']);
      expect((await route('203.0.113.78/32'))!.paths[0]).toMatchObject({ source: '198.18.2.2', attributes: { community: '64520:78', med: '20' } });
      expect(await route('203.0.113.77/32')).toBeUndefined();
      // Same session throughout: never dropped and re-established by the churn.
      const summary = JSON.parse(await run(frrVtysh(l.name, 'frr', 'show bgp neighbors 198.18.2.2 json'))) as Record<string, { bgpState?: string; connectionsEstablished?: number }>;
      expect(summary['198.18.2.2']).toMatchObject({ bgpState: 'Established', connectionsEstablished: 1 });
    } finally {
      const report = await l.down();
      expect(report.problems).toEqual([]);
    }
    expect(leftovers('exabgp-frr')).toEqual([]);
  });

  test.each([
    ['down NAME', () => downLab('frr-tor')],
    ['down --all', () => downAll()],
  ])('a crashed lab (state file gone, processes still running) is removed by %s', async (_how, down) => {
    const l = await startLab(topologies + 'frr-tor/frr-tor.clab.yml');
    await l.spawn('client', ['sleep', '300']);
    rmSync(`${naming.runDir('frr-tor')}/state.json`);
    expect(leftovers('frr-tor').length).toBeGreaterThan(10);
    await down();
    expect(leftovers('frr-tor')).toEqual([]);
  });

  test('a lab that is already up is refused, and the running one is untouched', async () => {
    const l = await startLab(topologies + 'l2-flat/l2-flat.clab.yml');
    try {
      await expect(startLab(topologies + 'l2-flat/l2-flat.clab.yml')).rejects.toThrow(/lab\/build: lab l2-flat is already up/);
      expect(await l.exec('client', ['ping', '-c', '1', '-W', '2', '198.18.10.11'])).toMatch(/1 received/);
    } finally {
      await l.down();
    }
  });
});
