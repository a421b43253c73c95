#!/usr/bin/env node
// Re-captures bgp/src/wire/fixtures/{frr,bird,gobgp}.hex: runs the bgp-interop suites with
// HL_BGP_CAPTURE (tcpdump on the speaker's link), reassembles each router's TCP stream from the
// pcap, and writes the first message of each kind the router sent, hex commented field by field.
//
//   sudo node scripts/capture-bgp-fixtures.mjs            # run the suites, then extract
//   node scripts/capture-bgp-fixtures.mjs --from DIR      # extract from DIR/{frr,bird,gobgp}.pcap
//
// The annotator here is deliberately separate from the codec under test: it only walks TLVs.

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const ROOT = new URL('..', import.meta.url).pathname;
const ROUTERS = {
  frr: { title: 'FRR', version: () => `FRR ${sh('/usr/lib/frr/bgpd', '--version').match(/version (\S+)/)?.[1] ?? '?'}` },
  bird: { title: 'BIRD', version: () => sh('bird', '--version') },
  gobgp: { title: 'GoBGP', version: () => sh('gobgpd', '--version') },
};
// Router-side addresses of the bgp-interop-* topologies and what each session is.
const SESSIONS = {
  '198.18.210.1': 'v4-ebgp', '198.18.210.2': 'v4-ibgp', '198.18.210.3': 'v4-as2',
  '2001:db8:d210::1': 'v6-ebgp', '2001:db8:d210::2': 'v6-ibgp',
};

/** A version banner: some daemons print it on stderr. */
function sh(cmd, ...args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
}

// ---- pcap -> TCP payload streams ---------------------------------------------------------

function* packets(buf) {
  const le = buf.readUInt32LE(0) === 0xa1b2c3d4;
  if (!le && buf.readUInt32BE(0) !== 0xa1b2c3d4) throw new Error('capture: not a pcap file (or nanosecond pcap)');
  const u32 = (o) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  if (u32(20) !== 1) throw new Error(`capture: link type ${u32(20)}, expected Ethernet`);
  for (let at = 24; at + 16 <= buf.length; ) {
    const length = u32(at + 8);
    yield buf.subarray(at + 16, at + 16 + length);
    at += 16 + length;
  }
}

function ipv6Text(b) {
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:::+/, '::');
}

function tcpSegment(frame) {
  const type = frame.readUInt16BE(12);
  let ip = frame.subarray(14);
  let src;
  let dst;
  if (type === 0x0800 && ip[9] === 6) {
    src = [...ip.subarray(12, 16)].join('.');
    dst = [...ip.subarray(16, 20)].join('.');
    ip = ip.subarray((ip[0] & 0x0f) * 4, ip.readUInt16BE(2));
  } else if (type === 0x86dd && ip[6] === 6) {
    src = ipv6Text(ip.subarray(8, 24));
    dst = ipv6Text(ip.subarray(24, 40));
    ip = ip.subarray(40, 40 + ip.readUInt16BE(4));
  } else return undefined;
  const flags = ip[13];
  return { src, dst, sport: ip.readUInt16BE(0), dport: ip.readUInt16BE(2), seq: ip.readUInt32BE(4), syn: (flags & 2) !== 0, payload: ip.subarray((ip[12] >> 4) * 4) };
}

/** Each direction of each connection as one byte string, in sequence order, retransmits dropped. */
function streams(pcap) {
  const byKey = new Map();
  for (const frame of packets(pcap)) {
    const seg = tcpSegment(frame);
    if (!seg) continue;
    const key = `${seg.src} ${seg.sport} ${seg.dst} ${seg.dport}`;
    if (seg.syn) byKey.set(key, { src: seg.src, start: (seg.seq + 1) >>> 0, parts: new Map() });
    const stream = byKey.get(key);
    if (!stream || seg.payload.length === 0) continue;
    stream.parts.set((seg.seq - stream.start) >>> 0, Buffer.from(seg.payload));
  }
  const out = [];
  for (const stream of byKey.values()) {
    let bytes = Buffer.alloc(0);
    for (const [offset, data] of [...stream.parts].sort((a, b) => a[0] - b[0])) {
      if (offset + data.length <= bytes.length) continue;
      bytes = Buffer.concat([bytes, data.subarray(Math.max(0, bytes.length - offset))]);
    }
    out.push({ src: stream.src, bytes });
  }
  return out;
}

function* bgpMessages(bytes) {
  for (let at = 0; at + 19 <= bytes.length; ) {
    const length = bytes.readUInt16BE(at + 16);
    if (length < 19 || at + length > bytes.length) return;
    yield bytes.subarray(at, at + length);
    at += length;
  }
}

// ---- classification and field-by-field annotation --------------------------------------

const TYPES = { 1: 'OPEN', 2: 'UPDATE', 3: 'NOTIFICATION', 4: 'KEEPALIVE', 5: 'ROUTE-REFRESH' };
const CAPS = { 1: 'multiprotocol', 2: 'route refresh', 5: 'extended next hop', 6: 'extended message', 9: 'BGP role', 64: 'graceful restart', 65: '4-octet AS', 69: 'ADD-PATH', 70: 'enhanced route refresh', 71: 'long-lived graceful restart', 73: 'FQDN', 128: 'route refresh (Cisco)' };
const ATTRS = { 1: 'ORIGIN', 2: 'AS_PATH', 3: 'NEXT_HOP', 4: 'MULTI_EXIT_DISC', 5: 'LOCAL_PREF', 6: 'ATOMIC_AGGREGATE', 7: 'AGGREGATOR', 8: 'COMMUNITIES', 14: 'MP_REACH_NLRI', 15: 'MP_UNREACH_NLRI', 16: 'EXTENDED_COMMUNITIES', 17: 'AS4_PATH', 18: 'AS4_AGGREGATOR', 32: 'LARGE_COMMUNITY' };
const h = (b) => b.toString('hex');

function attributes(body) {
  const withdrawnLength = body.readUInt16BE(0);
  const attrStart = 4 + withdrawnLength;
  const attrEnd = attrStart + body.readUInt16BE(2 + withdrawnLength);
  const list = [];
  for (let at = attrStart; at < attrEnd; ) {
    const flags = body[at];
    const ext = (flags & 0x10) !== 0;
    const length = ext ? body.readUInt16BE(at + 2) : body[at + 2];
    const head = ext ? 4 : 3;
    list.push({ flags, code: body[at + 1], head: body.subarray(at, at + head), value: body.subarray(at + head, at + head + length) });
    at += head + length;
  }
  return { withdrawnLength, attrStart, attrEnd, list };
}

function kind(message) {
  const type = message[18];
  if (type !== 2) return TYPES[type]?.toLowerCase() ?? `type-${type}`;
  const body = message.subarray(19);
  const { withdrawnLength, attrEnd, list } = attributes(body);
  const reach = list.find((a) => a.code === 14);
  const unreach = list.find((a) => a.code === 15);
  // Only the router's own routes (not ones it reflects from the speaker's other sessions).
  const own = (text) => /^(198\.18\.22\d\.|2001:db8:d220:)/.test(text);
  const as4 = list.some((a) => a.code === 17) ? '-as4-path' : '';
  if (reach) return prefixes(reach.value.subarray(5 + reach.value[3]), 6).some((p) => own(p.text)) ? `update-v6${as4}` : 'update-reflected';
  if (attrEnd < body.length) return prefixes(body.subarray(attrEnd), 4).some((p) => own(p.text)) ? `update-v4${as4}` : 'update-reflected';
  if (withdrawnLength > 0) return 'withdraw-v4';
  if (unreach) return unreach.value.length > 3 ? 'withdraw-v6' : 'end-of-rib-v6';
  return list.length === 0 ? 'end-of-rib-v4' : 'update-other';
}

function prefixes(bytes, family) {
  const out = [];
  for (let at = 0; at < bytes.length; ) {
    const bits = bytes[at];
    const n = Math.ceil(bits / 8);
    const raw = Buffer.alloc(family === 4 ? 4 : 16);
    bytes.copy(raw, 0, at + 1, at + 1 + n);
    out.push({ bytes: bytes.subarray(at, at + 1 + n), text: `${family === 4 ? [...raw].join('.') : ipv6Text(raw)}/${bits}` });
    at += 1 + n;
  }
  return out;
}

function describeAttribute({ code, value }) {
  const asns = (v, size) => {
    const segs = [];
    for (let at = 0; at < v.length; ) {
      const count = v[at + 1];
      const list = [];
      for (let i = 0; i < count; i++) list.push(size === 4 ? v.readUInt32BE(at + 2 + 4 * i) : v.readUInt16BE(at + 2 + 2 * i));
      segs.push(`${{ 1: 'set', 2: 'sequence', 3: 'confed-sequence', 4: 'confed-set' }[v[at]]} ${list.join(' ')}`);
      at += 2 + count * size;
    }
    return segs.join(', ') || 'empty';
  };
  switch (code) {
    case 1: return ['IGP', 'EGP', 'INCOMPLETE'][value[0]];
    case 2: return value.length > 0 && (value.length - 2) / value[1] === 2 ? `${asns(value, 2)} (2-octet ASNs)` : asns(value, 4);
    case 3: return [...value].join('.');
    case 4: case 5: return String(value.readUInt32BE(0));
    case 8: return Array.from({ length: value.length / 4 }, (_, i) => `${value.readUInt16BE(4 * i)}:${value.readUInt16BE(4 * i + 2)}`).join(' ');
    case 16: return Array.from({ length: value.length / 8 }, (_, i) => {
      const e = value.subarray(8 * i, 8 * i + 8);
      return e[0] === 0x40 && e[1] === 4 ? `link bandwidth AS ${e.readUInt16BE(2)} ${e.readFloatBE(4)} bytes/s` : `type ${e[0]}/${e[1]} ${h(e.subarray(2))}`;
    }).join(', ');
    case 17: return asns(value, 4);
    case 32: return Array.from({ length: value.length / 12 }, (_, i) => [0, 4, 8].map((o) => value.readUInt32BE(12 * i + o)).join(':')).join(' ');
    case 14: case 15: {
      const afi = value.readUInt16BE(0);
      if (code === 15) return `AFI ${afi} SAFI ${value[2]}: ${prefixes(value.subarray(3), afi === 1 ? 4 : 6).map((p) => p.text).join(' ') || 'none (End-of-RIB)'}`;
      const hop = value.subarray(4, 4 + value[3]);
      const hops = afi === 2 ? [hop.subarray(0, 16), hop.subarray(16)].filter((x) => x.length === 16).map(ipv6Text) : [[...hop].join('.')];
      return `AFI ${afi} SAFI ${value[2]}, next hop ${hops.join(' + ')}: ${prefixes(value.subarray(5 + value[3]), afi === 1 ? 4 : 6).map((p) => p.text).join(' ')}`;
    }
    default: return h(value);
  }
}

function annotate(message) {
  const lines = [['f'.repeat(32), 'marker'], [h(message.subarray(16, 18)), `length ${message.length}`], [h(message.subarray(18, 19)), `type ${TYPES[message[18]] ?? '?'}`]];
  const body = message.subarray(19);
  switch (message[18]) {
    case 1: {
      lines.push([h(body.subarray(0, 1)), `version ${body[0]}`], [h(body.subarray(1, 3)), `my AS ${body.readUInt16BE(1)}`], [h(body.subarray(3, 5)), `hold time ${body.readUInt16BE(3)}`]);
      lines.push([h(body.subarray(5, 9)), `BGP identifier ${[...body.subarray(5, 9)].join('.')}`], [h(body.subarray(9, 10)), `optional parameters length ${body[9]}`]);
      for (let at = 10; at < 10 + body[9]; ) {
        const paramEnd = at + 2 + body[at + 1];
        lines.push([h(body.subarray(at, at + 2)), `parameter type ${body[at]} (capabilities), length ${body[at + 1]}`]);
        for (let c = at + 2; c < paramEnd; c += 2 + body[c + 1]) {
          const v = body.subarray(c + 2, c + 2 + body[c + 1]);
          const detail = body[c] === 65 ? ` ${v.readUInt32BE(0)}` : body[c] === 1 ? ` AFI ${v.readUInt16BE(0)} SAFI ${v[3]}` : '';
          lines.push([h(body.subarray(c, c + 2 + body[c + 1])), `  capability ${body[c]}: ${CAPS[body[c]] ?? 'unknown'}${detail}`]);
        }
        at = paramEnd;
      }
      break;
    }
    case 2: {
      const { withdrawnLength, attrStart, attrEnd, list } = attributes(body);
      lines.push([h(body.subarray(0, 2)), `withdrawn routes length ${withdrawnLength}`]);
      for (const p of prefixes(body.subarray(2, 2 + withdrawnLength), 4)) lines.push([h(p.bytes), `  withdrawn ${p.text}`]);
      lines.push([h(body.subarray(attrStart - 2, attrStart)), `total path attribute length ${attrEnd - attrStart}`]);
      for (const a of list) {
        lines.push([`${h(a.head)} ${a.code === 14 ? '' : h(a.value)}`, `${ATTRS[a.code] ?? `attribute ${a.code}`} (flags 0x${a.flags.toString(16)}): ${describeAttribute(a)}`]);
        if (a.code !== 14) continue;
        const v = a.value;
        const hopEnd = 4 + v[3];
        lines.push([`  ${h(v.subarray(0, 4))}`, `AFI ${v.readUInt16BE(0)}, SAFI ${v[2]}, next hop length ${v[3]}`]);
        for (let at = 4; at < hopEnd; at += 16) lines.push([`  ${h(v.subarray(at, Math.min(at + 16, hopEnd)))}`, at === 4 ? 'next hop' : 'link-local next hop']);
        lines.push([`  ${h(v.subarray(hopEnd, hopEnd + 1))}`, 'reserved']);
        for (const p of prefixes(v.subarray(hopEnd + 1), v.readUInt16BE(0) === 1 ? 4 : 6)) lines.push([`  ${h(p.bytes)}`, `NLRI ${p.text}`]);
      }
      for (const p of prefixes(body.subarray(attrEnd), 4)) lines.push([h(p.bytes), `NLRI ${p.text}`]);
      break;
    }
    case 3:
      lines.push([h(body.subarray(0, 2)), `error code ${body[0]}, subcode ${body[1]}`]);
      if (body.length > 2) lines.push([h(body.subarray(2)), `data (${body.length - 2} octets)`]);
      break;
    case 5:
      lines.push([h(body.subarray(0, 2)), `AFI ${body.readUInt16BE(0)}`], [h(body.subarray(2, 3)), `reserved / subtype ${body[2]}`], [h(body.subarray(3, 4)), `SAFI ${body[3]}`]);
      break;
  }
  const width = Math.min(48, Math.max(...lines.map(([x]) => x.length)));
  return lines.map(([bytes, comment]) => `${bytes.padEnd(width)}  # ${comment}`).join('\n');
}

function extract(dir, name) {
  const router = ROUTERS[name];
  const seen = new Set();
  const sections = [];
  for (const stream of streams(readFileSync(`${dir}/${name}.pcap`))) {
    const session = SESSIONS[stream.src];
    if (!session) continue;
    for (const message of bgpMessages(stream.bytes)) {
      const k = kind(message);
      if (k === 'update-reflected') continue;
      // KEEPALIVE, NOTIFICATION, ROUTE-REFRESH once per router; the rest once per session.
      const key = ['keepalive', 'notification', 'route-refresh'].includes(k) ? k : `${session} ${k}`;
      if (seen.has(key)) continue;
      seen.add(key);
      sections.push(`== ${key}  (${router.title} -> speaker, ${session} session)\n${annotate(message)}`);
    }
  }
  sections.sort();
  const header = `# Captured from ${router.version()} talking to bgp-speaker-ts in lab bgp-interop-${name}\n# by scripts/capture-bgp-fixtures.mjs; "== NAME" starts a message; read by bgp/src/wire/captured.test.ts.\n`;
  writeFileSync(`${ROOT}bgp/src/wire/fixtures/${name}.hex`, `${header}\n${sections.join('\n\n')}\n`);
  console.log(`${name}: ${sections.length} messages -> bgp/src/wire/fixtures/${name}.hex`);
}

const fromIndex = process.argv.indexOf('--from');
const dir = fromIndex > 0 ? process.argv[fromIndex + 1] : '/tmp/hl-bgp-capture';
if (fromIndex < 0) {
  for (const name of Object.keys(ROUTERS)) {
    execFileSync('npx', ['jest', '-c', 'jest.e2e.config.js', `e2e/suites/bgp-interop-${name}.e2e.test.ts`], {
      cwd: ROOT, stdio: 'inherit', env: { ...process.env, HL_BGP_CAPTURE: dir, NODE_OPTIONS: '--experimental-vm-modules' },
    });
  }
}
for (const name of Object.keys(ROUTERS)) extract(dir, name);
