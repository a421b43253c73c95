// tcpdump lines (as printed on the speaker-bgp ToR) to BGP segments, and which carry an UPDATE.
import { carriesUpdate, parseTcpdumpLine } from './_speaker-capture.js';

test.each([
  [
    'an UPDATE',
    '1795280689.731885 IP 198.18.0.12.59090 > 198.18.0.1.179: Flags [P.], seq 3957500611:3957500639, ack 2808195413, win 63, options [nop,nop,TS val 3849897842 ecr 1184170659], length 28: BGP',
    { atEpochMs: 1795280689731.885, src: '198.18.0.12', length: 28 },
    true,
  ],
  [
    'a KEEPALIVE',
    '1795280690.000001 IP 198.18.0.11.48858 > 198.18.0.1.179: Flags [P.], seq 1:20, ack 1, win 63, length 19: BGP',
    { atEpochMs: 1795280690000.001, src: '198.18.0.11', length: 19 },
    false,
  ],
])('%s', (_what, line, segment, update) => {
  const s = parseTcpdumpLine(line);
  expect(s?.src).toBe(segment.src);
  expect(s?.length).toBe(segment.length);
  expect(s?.atEpochMs).toBeCloseTo(segment.atEpochMs, 3);
  expect(carriesUpdate(s!)).toBe(update);
});

test.each([
  ['tcpdump: verbose output suppressed, use -v[v]... for full protocol decode'],
  ['listening on eth1, link-type EN10MB (Ethernet), snapshot length 262144 bytes'],
  ['1795280689.731885 IP6 2001:db8::1.179 > 2001:db8::2.40000: Flags [P.], length 28: BGP'],
  [''],
])('not a BGP segment line: %j', (line) => {
  expect(parseTcpdumpLine(line)).toBeUndefined();
});
