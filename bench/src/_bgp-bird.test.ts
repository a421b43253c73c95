// BIRD's benchmark config: every prefix becomes one blackhole static route, the session is
// disabled with no connect delay, and bad input is refused with a named error.

import { BIRD_BGP_PROTOCOL, BIRD_STATIC_PROTOCOL, birdBenchConfig, birdConnectTime, type BirdBenchConfig } from './_bgp-bird.js';
import { BenchPrefixError } from './_bgp-prefixes.js';

const base: BirdBenchConfig = {
  logFile: '/run/headland-lab/bgp-bench/bird/bench.log',
  routerId: '198.18.0.3',
  localAddress: '198.18.0.3',
  localAs: 64514,
  neighbor: '198.18.0.1',
  neighborAs: 64512,
  prefixes: ['198.18.64.0/32', '198.18.64.1/32'],
};

test('one static route per prefix and a disabled session to the neighbour', () => {
  const text = birdBenchConfig(base);
  expect(text.match(/^ {2}route \S+ blackhole;$/gm)).toEqual(['  route 198.18.64.0/32 blackhole;', '  route 198.18.64.1/32 blackhole;']);
  expect(text).toContain(`protocol static ${BIRD_STATIC_PROTOCOL} {`);
  const bgp = text.slice(text.indexOf(`protocol bgp ${BIRD_BGP_PROTOCOL} {`));
  expect(bgp).toMatch(/^ {2}disabled;$/m);
  expect(bgp).toMatch(/^ {2}connect delay time 0;$/m);
  expect(bgp).toMatch(/^ {2}local 198\.18\.0\.3 as 64514;$/m);
  expect(bgp).toMatch(/^ {2}neighbor 198\.18\.0\.1 as 64512;$/m);
  expect(bgp).toMatch(/export all;/);
  // The connect line the timing is read from needs event tracing and a millisecond log clock.
  expect(bgp).toMatch(/^ {2}debug \{ states, events \};$/m);
  expect(text).toContain('log "/run/headland-lab/bgp-bench/bird/bench.log" all;');
  expect(text).toContain('timeformat log "%F %T.%3f";');
});

// Lines as BIRD 2.0.12 wrote them in the bgp-bench lab (connect delay, then the connect).
const log = [
  '2026-11-21 16:37:21.588 <INFO> Enabling protocol bench_frr',
  '2026-11-21 16:37:21.588 <TRACE> bench_frr: Connect delayed by 1 seconds',
  '2026-11-21 16:37:22.578 <TRACE> bench_frr: Connecting to 198.18.0.1 from local address 198.18.0.3',
  '2026-11-21 16:37:22.578 <TRACE> bench_frr: Connected',
  '2026-11-21 16:39:02.010 <TRACE> other_bgp: Connecting to 198.18.0.9 from local address 198.18.0.3',
].join('\n');

test.each<[string, string, number | undefined]>([
  ['the connect line of the protocol, in local time', log, new Date(2026, 10, 21, 16, 37, 22, 578).getTime()],
  ['the last of several connects', `${log}\n2026-11-21 16:40:00.001 <TRACE> bench_frr: Connecting to 198.18.0.1 from local address 198.18.0.3`, new Date(2026, 10, 21, 16, 40, 0, 1).getTime()],
  ['nothing before any connect', log.split('\n').slice(0, 2).join('\n'), undefined],
  ['nothing for another protocol alone', log.split('\n')[4]!, undefined],
])('birdConnectTime: %s', (_what, text, expected) => {
  expect(birdConnectTime(text)).toBe(expected);
});

test.each<[string, Partial<BirdBenchConfig>, RegExp]>([
  ['a prefix that is not a /32', { prefixes: ['198.18.64.0/24'] }, /prefix "198\.18\.64\.0\/24" is not a \/32/],
  ['a prefix that is not an address', { prefixes: ['198.18.64/32'] }, /prefix "198\.18\.64"/],
  ['an octet above 255', { neighbor: '198.18.0.256' }, /neighbor "198\.18\.0\.256"/],
  ['config injection through the router id', { routerId: '1.2.3.4; protocol kernel {}' }, /router id/],
  ['a log file with a quote', { logFile: '/tmp/x" all; protocol kernel {} log "y' }, /log file/],
])('%s is refused', (_what, change, message) => {
  expect(() => birdBenchConfig({ ...base, ...change })).toThrow(BenchPrefixError);
  expect(() => birdBenchConfig({ ...base, ...change })).toThrow(message);
});
