// Routing tables as JSON in one shape, whichever router holds them: FRR's RIB and BGP table,
// BIRD's `show route all`, GoBGP's global RIB, and the kernel FIB with its nexthop weights.

import { formatPrefix, parsePrefix } from './cidr.js';
import { LabError } from './errors.js';
import { nodeNamespace } from './naming.js';
import { birdc, frrVtysh, gobgpCli } from './routers.js';
import { inNamespace, run } from './sh.js';
import type { RouterKind } from './topology.js';

export interface Nexthop {
  readonly via?: string;
  readonly dev?: string;
  /** Kernel/FRR weight of this nexthop in a multipath route. */
  readonly weight?: number;
}

export interface RoutePath {
  /** Who supplied it: a protocol (static, bgp, kernel) or a BGP peer (address or BIRD protocol). */
  readonly source: string;
  /** Selected by the router (FRR selected, BGP best, BIRD "*"); always true in the kernel. */
  readonly best: boolean;
  readonly nexthops: readonly Nexthop[];
  readonly asPath?: string;
  /** Everything else worth asserting on, as text (BGP.* attributes, multipath, communities...). */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface Route {
  readonly prefix: string;
  readonly paths: readonly RoutePath[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function fail(what: string, detail: string): never {
  throw new LabError('lab/rib', `${what}: ${detail}`);
}

function json(text: string, what: string): unknown {
  try {
    return JSON.parse(text.trim() === '' ? 'null' : text);
  } catch (err) {
    return fail(what, `not JSON (${(err as Error).message}): ${text.slice(0, 200)}`);
  }
}

/** "203.0.113.10" -> "203.0.113.10/32"; prefixes in their canonical form; "default" kept. */
export function canonicalPrefix(text: string): string {
  if (text === 'default') return text;
  const p = parsePrefix(text);
  return typeof p === 'string' ? text : formatPrefix(p);
}

function nexthop(via: unknown, dev: unknown, weight: unknown): Nexthop {
  return {
    ...(str(via) === undefined ? {} : { via: str(via)! }),
    ...(str(dev) === undefined ? {} : { dev: str(dev)! }),
    ...(typeof weight === 'number' ? { weight } : {}),
  };
}

/** `show ip route json` / `show ipv6 route json`: prefix -> entries, one per protocol. */
export function parseFrrRoutes(text: string): Route[] {
  const doc = json(text, 'FRR routes');
  if (!isObj(doc)) return fail('FRR routes', 'expected a JSON object');
  return Object.entries(doc).map(([prefix, entries]) => ({
    prefix: canonicalPrefix(prefix),
    paths: (Array.isArray(entries) ? entries : []).filter(isObj).map((e) => ({
      source: str(e['protocol']) ?? 'unknown',
      best: e['selected'] === true,
      nexthops: (Array.isArray(e['nexthops']) ? e['nexthops'] : [])
        .filter(isObj)
        .filter((n) => n['active'] === true)
        .map((n) => nexthop(n['ip'], n['interfaceName'], n['weight'])),
      attributes: { installed: String(e['installed'] === true), distance: str(e['distance']) ?? '' },
    })),
  }));
}

/** `show bgp ipv4 unicast json`: routes: prefix -> paths received from peers. */
export function parseFrrBgp(text: string): Route[] {
  const doc = json(text, 'FRR BGP table');
  if (!isObj(doc)) return fail('FRR BGP table', 'expected a JSON object');
  const routes = isObj(doc['routes']) ? doc['routes'] : {};
  return Object.entries(routes).map(([prefix, paths]) => ({
    prefix: canonicalPrefix(prefix),
    paths: (Array.isArray(paths) ? paths : []).filter(isObj).map((p) => {
      const ext = isObj(p['extendedCommunity']) ? str(p['extendedCommunity']['string']) : undefined;
      return {
        source: str(p['peerId']) ?? 'unknown',
        best: p['bestpath'] === true,
        nexthops: (Array.isArray(p['nexthops']) ? p['nexthops'] : []).filter(isObj).map((n) => nexthop(n['ip'], n['interface'], undefined)),
        asPath: str(p['path']) ?? '',
        attributes: {
          multipath: String(p['multipath'] === true),
          valid: String(p['valid'] === true),
          ...(str(p['metric']) === undefined ? {} : { med: str(p['metric'])! }),
          ...(ext === undefined ? {} : { extendedCommunity: ext }),
        },
      };
    }),
  }));
}

const textOf = (v: unknown): string | undefined => (isObj(v) ? str(v['string']) : undefined);

/**
 * `show bgp ipv4 unicast PREFIX json`: the one prefix with every attribute of each path (the
 * table above leaves communities out). No paths (`{}`) is undefined: the prefix is not there.
 */
export function parseFrrBgpPrefix(text: string): Route | undefined {
  const doc = json(text, 'FRR BGP prefix');
  if (!isObj(doc)) return fail('FRR BGP prefix', 'expected a JSON object');
  const paths = Array.isArray(doc['paths']) ? doc['paths'].filter(isObj) : [];
  const prefix = str(doc['prefix']);
  if (paths.length === 0) return undefined;
  if (prefix === undefined) return fail('FRR BGP prefix', 'paths without a "prefix"');
  return {
    prefix: canonicalPrefix(prefix),
    paths: paths.map((p) => {
      const attrs: Record<string, string> = { valid: String(p['valid'] === true) };
      const add = (key: string, value: string | undefined): void => {
        if (value !== undefined) attrs[key] = value;
      };
      add('origin', str(p['origin']));
      add('med', str(p['metric']));
      add('localPref', str(p['locPrf']));
      add('community', textOf(p['community']));
      add('largeCommunity', textOf(p['largeCommunity']));
      add('extendedCommunity', textOf(p['extendedCommunity']));
      return {
        source: (isObj(p['peer']) ? str(p['peer']['peerId']) : undefined) ?? 'unknown',
        best: isObj(p['bestpath']) && p['bestpath']['overall'] === true,
        nexthops: (Array.isArray(p['nexthops']) ? p['nexthops'] : []).filter(isObj).map((n) => nexthop(n['ip'], n['interface'], undefined)),
        asPath: textOf(p['aspath']) ?? '',
        attributes: attrs,
      };
    }),
  };
}

/** `ip -j route show`: one path per route; multipath routes list nexthops with weights. */
export function parseKernelRoutes(text: string): Route[] {
  const doc = json(text, 'kernel routes') ?? [];
  if (!Array.isArray(doc)) return fail('kernel routes', 'expected a JSON array');
  return doc.filter(isObj).map((r) => {
    const hops = Array.isArray(r['nexthops'])
      ? r['nexthops'].filter(isObj).map((n) => nexthop(n['gateway'], n['dev'], n['weight']))
      : [nexthop(r['gateway'], r['dev'], 1)];
    return {
      prefix: canonicalPrefix(str(r['dst']) ?? '?'),
      paths: [{ source: str(r['protocol']) ?? 'kernel', best: true, nexthops: hops, attributes: { type: str(r['type']) ?? 'unicast', metric: str(r['metric']) ?? '0' } }],
    };
  });
}

const BIRD_HEADER = /^(\S+)?\s+(\S+)\s+\[(\S+)[^\]]*\]\s*(\*?)\s*\((\d+)\)\s*(?:\[(.*)\])?/;

/**
 * `birdc show route all`: a route line "PREFIX TYPE [PROTO SINCE] * (PREF) [ASPATH]" (prefix left
 * blank for further paths to it), then tab-indented "via X on IF [weight W]", "dev IF", "Key: value".
 */
export function parseBirdRoutes(text: string): Route[] {
  const routes: { prefix: string; paths: RoutePath[] }[] = [];
  let current: { source: string; best: boolean; nexthops: Nexthop[]; attributes: Record<string, string>; asPath?: string } | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || /^BIRD \d/.test(line) || /^Table \S+:$/.test(line) || /^\d{4} /.test(line)) continue;
    if (line.startsWith('\t')) {
      if (current === undefined) continue;
      const body = line.trim();
      const via = /^via (\S+) on (\S+)(?: weight (\d+))?/.exec(body);
      const dev = /^dev (\S+)/.exec(body);
      const attr = /^([A-Za-z0-9_.]+):\s*(.*)$/.exec(body);
      if (via !== null) current.nexthops.push(nexthop(via[1], via[2], via[3] === undefined ? undefined : Number(via[3])));
      else if (dev !== null) current.nexthops.push(nexthop(undefined, dev[1], undefined));
      else if (attr !== null) {
        current.attributes[attr[1]!] = attr[2]!;
        if (attr[1] === 'BGP.as_path') current.asPath = attr[2]!;
      }
      continue;
    }
    const m = BIRD_HEADER.exec(line);
    if (m === null) continue;
    if (m[1] !== undefined) routes.push({ prefix: canonicalPrefix(m[1]), paths: [] });
    const route = routes[routes.length - 1];
    if (route === undefined) return fail('BIRD routes', `a continuation line before any prefix: ${line}`);
    current = { source: m[3]!, best: m[4] === '*', nexthops: [], attributes: { type: m[2]!, preference: m[5]! } };
    route.paths.push(current);
  }
  return routes;
}

/** `gobgp global rib -j`: prefix -> paths, each with attrs (type 2 AS_PATH, 3 NEXT_HOP, 14 MP_REACH). */
export function parseGobgpRib(text: string): Route[] {
  const doc = json(text, 'GoBGP RIB') ?? {};
  if (!isObj(doc)) return fail('GoBGP RIB', 'expected a JSON object');
  return Object.entries(doc).map(([prefix, paths]) => ({
    prefix: canonicalPrefix(prefix),
    paths: (Array.isArray(paths) ? paths : []).filter(isObj).map((p) => {
      const attrs = (Array.isArray(p['attrs']) ? p['attrs'] : []).filter(isObj);
      const nh = attrs.find((a) => a['type'] === 3)?.['nexthop'] ?? attrs.find((a) => a['type'] === 14)?.['nexthop'];
      const asPath = attrs
        .find((a) => a['type'] === 2)?.['as_paths'];
      const asns = Array.isArray(asPath) ? asPath.filter(isObj).flatMap((s) => (Array.isArray(s['asns']) ? s['asns'] : [])).join(' ') : '';
      const ext = attrs.find((a) => a['type'] === 16);
      return {
        source: str(p['neighbor-ip']) ?? str(p['source-id']) ?? 'local',
        best: p['best'] === true,
        nexthops: [nexthop(nh, undefined, undefined)],
        asPath: asns,
        attributes: ext === undefined ? {} : { extendedCommunities: JSON.stringify(ext['value'] ?? ext) },
      };
    }),
  }));
}

export type Family = 4 | 6;

/** The router's own RIB: FRR zebra's table, BIRD's master table, GoBGP's global RIB. */
export async function routerRib(lab: string, node: string, kind: RouterKind, family: Family = 4): Promise<Route[]> {
  switch (kind) {
    case 'frr':
      return parseFrrRoutes(await run(frrVtysh(lab, node, `show ${family === 4 ? 'ip' : 'ipv6'} route json`)));
    case 'bird':
      return parseBirdRoutes(await run(birdc(lab, node, 'show', 'route', 'all', 'table', family === 4 ? 'master4' : 'master6')));
    case 'gobgp':
      return parseGobgpRib(await run(gobgpCli(lab, node, 'global', 'rib', '-a', family === 4 ? 'ipv4' : 'ipv6', '-j')));
    case 'exabgp':
      return fail(`node "${node}"`, 'ExaBGP keeps no RIB to read');
  }
}

/** The BGP table (every path from every peer). BIRD and GoBGP have one table, so it is their RIB. */
export async function bgpTable(lab: string, node: string, kind: RouterKind, family: Family = 4): Promise<Route[]> {
  if (kind === 'frr') return parseFrrBgp(await run(frrVtysh(lab, node, `show bgp ${family === 4 ? 'ipv4' : 'ipv6'} unicast json`)));
  const all = await routerRib(lab, node, kind, family);
  return kind === 'bird' ? all.map((r) => ({ ...r, paths: r.paths.filter((p) => p.attributes['BGP.as_path'] !== undefined) })).filter((r) => r.paths.length > 0) : all;
}

/** One prefix in FRR's BGP table with all its attributes (communities, MED); undefined if absent. */
export async function frrBgpRoute(lab: string, node: string, prefix: string): Promise<Route | undefined> {
  const want = canonicalPrefix(prefix);
  const family = want.includes(':') ? 'ipv6' : 'ipv4';
  return parseFrrBgpPrefix(await run(frrVtysh(lab, node, `show bgp ${family} unicast ${want} json`)));
}

/** The kernel FIB of a lab node (or "node/pod" namespace name given directly). */
export async function kernelFib(namespace: string, family: Family = 4): Promise<Route[]> {
  return parseKernelRoutes(await run(inNamespace(namespace, ['ip', '-j', `-${family}`, 'route', 'show'])));
}

export async function nodeFib(lab: string, node: string, family: Family = 4): Promise<Route[]> {
  return kernelFib(nodeNamespace(lab, node), family);
}

export function findRoute(routes: readonly Route[], prefix: string): Route | undefined {
  const want = canonicalPrefix(prefix);
  return routes.find((r) => r.prefix === want);
}
