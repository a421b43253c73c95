// MetalLB v0.12's configuration (the ConfigMap's data.config, or that YAML alone) to Headland
// objects: a BGPPeer per peer, a pool per address pool plus an advertisement for its protocol,
// a Community for bgp-communities, a BFDProfile per bfd profile.
import { parseDocument } from 'yaml';
import type { BGPAdvertisementSpec, IPAddressPoolSpec, L2AdvertisementSpec } from '@headland/api';
import { bfdSpec, peerSpec } from './bgp.js';
import { compact, droppedAliasMessage, headlandObject, poolAddresses, rewriteCommunities, type ConvertContext } from './common.js';
import { Fields, describeType, isRecord } from './fields.js';
import type { ObjectReport, Report } from './report.js';
import type { ConvertedObject, KubeObject, Source, SpecFields } from './types.js';

/** The top-level keys of v0.12's configFile. */
export const LEGACY_KEYS = ['peers', 'bgp-communities', 'address-pools', 'bfd-profiles'] as const;

const PEER_KEYS = ['my-asn', 'peer-asn', 'peer-address', 'source-address', 'peer-port', 'hold-time', 'keepalive-time', 'router-id', 'node-selectors', 'password', 'bfd-profile', 'ebgp-multihop'];
const POOL_KEYS = ['name', 'protocol', 'addresses', 'avoid-buggy-ips', 'auto-assign', 'bgp-advertisements'];
const ADVERTISEMENT_KEYS = ['aggregation-length', 'aggregation-length-v6', 'localpref', 'communities'];
const BFD_KEYS = ['name', 'receive-interval', 'transmit-interval', 'detect-multiplier', 'echo-interval', 'echo-mode', 'passive-mode', 'minimum-ttl'];

/** The Community object written for bgp-communities. */
export const COMMUNITY_OBJECT_NAME = 'bgp-communities';

/** A v0.12 configuration found in the input: the parsed YAML and where it was. */
export interface LegacyConfig {
  readonly source: Source;
  /** "data.config" for a ConfigMap, "" for the configuration given alone. */
  readonly prefix: string;
  readonly value: unknown;
  /** The ConfigMap's namespace; "" when none was given. */
  readonly namespace: string;
}

/** The YAML text of data.config, parsed; undefined on YAML errors (reported). */
export function parseLegacyText(text: string, report: ObjectReport): unknown {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) report.error('', `YAML: ${(e.message.split('\n')[0] ?? '').replace(/:$/, '')}`);
    return undefined;
  }
  return doc.toJS() ?? {};
}

/** The bgp-communities aliases of a configuration, for the run's alias plan. */
export function legacyAliases(value: unknown): { name: string; value: string }[] {
  const communities = isRecord(value) ? value['bgp-communities'] : undefined;
  if (!isRecord(communities)) return [];
  return Object.entries(communities).flatMap(([name, v]) => (typeof v === 'string' ? [{ name, value: v }] : []));
}

export function convertLegacy(config: LegacyConfig, report: Report, ctx: ConvertContext): ConvertedObject[] {
  const r = report.about(config.source, config.prefix);
  ctx.namespaces.add(config.namespace);
  const top = Fields.of(config.value, r);
  if (top === undefined) return [];
  const out: ConvertedObject[] = [];
  const emit = (object: KubeObject | undefined, report: ObjectReport) => {
    if (object !== undefined) out.push({ object, source: config.source, field: report.prefix });
  };
  eachEntry(top, 'bfd-profiles', (entry) => emit(bfdProfile(entry, ctx), entry.report));
  emit(communities(top, ctx), r.at('bgp-communities'));
  eachEntry(top, 'peers', (entry, i) => emit(peer(entry, i, ctx), entry.report));
  eachEntry(top, 'address-pools', (entry) => {
    for (const object of pool(entry, ctx)) emit(object, entry.report);
  });
  top.finish(LEGACY_KEYS, 'the MetalLB v0.12 configuration');
  return out;
}

function eachEntry(top: Fields, key: string, convert: (entry: Fields, index: number) => void): void {
  (top.list(key) ?? []).forEach((item, i) => {
    const entry = Fields.of(item, top.report.at(`${key}[${i}]`));
    if (entry !== undefined) convert(entry, i);
  });
}

function bfdProfile(entry: Fields, ctx: ConvertContext): KubeObject | undefined {
  const name = requiredName(entry);
  const spec = bfdSpec(
    {
      receiveInterval: entry.integer('receive-interval'),
      transmitInterval: entry.integer('transmit-interval'),
      detectMultiplier: entry.integer('detect-multiplier'),
      minimumTtl: entry.integer('minimum-ttl'),
      passiveMode: entry.boolean('passive-mode'),
      echoInterval: entry.integer('echo-interval'),
      echoMode: entry.boolean('echo-mode'),
    },
    entry.report,
    { echoInterval: 'echo-interval', echoMode: 'echo-mode' },
  );
  entry.finish(BFD_KEYS, 'a bfd-profiles entry');
  return name === undefined ? undefined : headlandObject('BFDProfile', { name, namespace: ctx.namespace }, spec);
}

function communities(top: Fields, ctx: ConvertContext): KubeObject | undefined {
  const map = top.stringMap('bgp-communities');
  if (map === undefined) return undefined;
  const r = top.report.at('bgp-communities');
  const entries: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(map)) {
    if (ctx.aliases.dropped.has(name)) r.changed(name, droppedAliasMessage(name, value));
    else entries.push({ name, value });
  }
  if (entries.length === 0) return undefined;
  r.note('', `written as Community ${ctx.namespace}/${COMMUNITY_OBJECT_NAME}`);
  return headlandObject('Community', { name: madeUpName(ctx, 'Community', COMMUNITY_OBJECT_NAME), namespace: ctx.namespace }, { communities: entries });
}

function peer(entry: Fields, index: number, ctx: ConvertContext): KubeObject {
  const r = entry.report;
  const address = entry.string('peer-address');
  const spec = peerSpec(
    {
      myASN: entry.integer('my-asn'),
      peerASN: entry.integer('peer-asn'),
      peerAddress: address,
      sourceAddress: entry.string('source-address'),
      peerPort: entry.integer('peer-port'),
      holdTime: duration(entry, 'hold-time'),
      keepaliveTime: duration(entry, 'keepalive-time'),
      routerID: entry.string('router-id'),
      nodeSelectors: nodeSelectors(entry),
      password: entry.string('password'),
      bfdProfile: entry.string('bfd-profile'),
      ebgpMultiHop: entry.boolean('ebgp-multihop'),
    },
    r,
    { holdTime: 'hold-time', keepaliveTime: 'keepalive-time', peerPort: 'peer-port', ebgpMultiHop: 'ebgp-multihop' },
  );
  entry.finish(PEER_KEYS, 'a peers entry');
  // v0.12 peers have no names: name them by address, which is what an operator looks for.
  const base = address === undefined || address === '' ? `peer-${index + 1}` : `peer-${address.toLowerCase().replace(/[^a-z0-9.]+/g, '-')}`.replace(/[-.]+$/, '');
  const name = madeUpName(ctx, 'BGPPeer', base);
  r.note('', `written as BGPPeer ${ctx.namespace}/${name}`);
  ctx.routerIDs.push({ report: r, field: 'router-id', routerID: spec.routerID as string | undefined });
  return headlandObject('BGPPeer', { name, namespace: ctx.namespace }, spec);
}

/** hold-time and keepalive-time are Go durations; a bare number (no unit) is refused, as MetalLB does. */
function duration(entry: Fields, key: string): string | undefined {
  const raw = entry.raw(key);
  if (typeof raw === 'number') {
    entry.report.error(key, `${raw} has no unit; MetalLB reads ${key} as a duration such as "${raw}s"`);
    return undefined;
  }
  return entry.string(key);
}

/** v0.12's node-selectors (match-labels, match-expressions) as Kubernetes label selectors. */
function nodeSelectors(entry: Fields): unknown[] | undefined {
  const list = entry.list('node-selectors');
  if (list === undefined) return undefined;
  return list.flatMap((item, i) => {
    const selector = Fields.of(item, entry.report.at(`node-selectors[${i}]`));
    if (selector === undefined) return [];
    const matchLabels = selector.stringMap('match-labels');
    const expressions = selector.list('match-expressions')?.flatMap((e, j) => {
      const expression = Fields.of(e, selector.report.at(`match-expressions[${j}]`));
      if (expression === undefined) return [];
      const out = compact({ key: expression.string('key'), operator: expression.string('operator'), values: expression.strings('values') });
      expression.finish(['key', 'operator', 'values'], 'a match-expressions entry');
      return [out];
    });
    selector.finish(['match-labels', 'match-expressions'], 'a node-selectors entry');
    return [compact({ matchLabels, matchExpressions: expressions })];
  });
}

const PROTOCOL = { BGP: 'bgp', Layer2: 'layer2' } as const;

function pool(entry: Fields, ctx: ConvertContext): KubeObject[] {
  const r = entry.report;
  const name = requiredName(entry);
  const addresses = entry.strings('addresses');
  const spec = compact({
    addresses: addresses === undefined ? undefined : poolAddresses(addresses, r, 'addresses'),
    autoAssign: entry.boolean('auto-assign'),
    avoidBuggyIPs: entry.boolean('avoid-buggy-ips'),
  } satisfies SpecFields<IPAddressPoolSpec>);
  const protocol = entry.string('protocol');
  const advertisements = entry.list('bgp-advertisements');
  const out: KubeObject[] = [];
  if (name !== undefined) out.push(headlandObject('IPAddressPool', { name, namespace: ctx.namespace }, spec));

  if (protocol === PROTOCOL.Layer2) {
    if (advertisements !== undefined && advertisements.length > 0) r.error('bgp-advertisements', 'a layer2 pool cannot have bgp-advertisements (MetalLB refuses it); left out');
    if (name !== undefined) {
      r.note('protocol', `layer2 is written as L2Advertisement ${ctx.namespace}/${name}, answering for this pool only (v0.12 set the protocol per pool)`);
      out.push(headlandObject('L2Advertisement', { name, namespace: ctx.namespace }, { ipAddressPools: [name] } satisfies SpecFields<L2AdvertisementSpec>));
    }
  } else if (protocol === PROTOCOL.BGP) {
    // No bgp-advertisements is one advertisement with every default, as v0.12 did.
    const list = advertisements === undefined || advertisements.length === 0 ? [{}] : advertisements;
    const names: string[] = [];
    list.forEach((item, j) => {
      const adv = Fields.of(item, r.at(`bgp-advertisements[${j}]`));
      if (adv === undefined || name === undefined) return;
      const advName = list.length === 1 ? name : `${name}-${j + 1}`;
      names.push(advName);
      out.push(headlandObject('BGPAdvertisement', { name: advName, namespace: ctx.namespace }, bgpAdvertisement(adv, name, ctx)));
    });
    if (names.length > 0) r.note('protocol', `bgp is written as BGPAdvertisement ${names.map((n) => `${ctx.namespace}/${n}`).join(', ')}, announcing this pool only to every peer (v0.12 set the protocol per pool)`);
  } else if (protocol === undefined) {
    if (!entry.has('protocol')) r.error('protocol', 'missing: MetalLB v0.12 needs bgp or layer2 to know how to announce the pool; the pool is written without an advertisement');
  } else {
    r.error('protocol', `${JSON.stringify(protocol)} is not bgp or layer2; the pool is written without an advertisement`);
  }
  entry.finish(POOL_KEYS, 'an address-pools entry');
  return out;
}

function bgpAdvertisement(adv: Fields, pool: string, ctx: ConvertContext): Record<string, unknown> {
  const localPref = adv.integer('localpref');
  if (localPref === 0) adv.report.note('localpref', '0 means "not set" in MetalLB; left out');
  const communities = adv.strings('communities');
  const spec = compact({
    ipAddressPools: [pool],
    aggregationLength: adv.integer('aggregation-length'),
    aggregationLengthV6: adv.integer('aggregation-length-v6'),
    localPref: localPref === 0 ? undefined : localPref,
    communities: communities === undefined ? undefined : rewriteCommunities(communities, ctx.aliases, adv.report, 'communities'),
  } satisfies SpecFields<BGPAdvertisementSpec>);
  adv.finish(ADVERTISEMENT_KEYS, 'a bgp-advertisements entry');
  return spec;
}

/** The name of a pool or BFD profile: required, since objects and references use it. */
function requiredName(entry: Fields): string | undefined {
  const raw = entry.raw('name');
  if (typeof raw === 'string' && raw !== '') return raw;
  entry.report.error('name', raw === undefined ? 'missing: MetalLB refuses an entry without a name; not converted' : `must be a non-empty string, not ${describeType(raw)}; not converted`);
  return undefined;
}

/** `base`, or `base-2`, `base-3`... when another object of the kind made up here has it. */
function madeUpName(ctx: ConvertContext, kind: string, base: string): string {
  let name = base;
  for (let n = 2; ctx.madeUpNames.has(`${kind}/${name}`); n++) name = `${base}-${n}`;
  ctx.madeUpNames.add(`${kind}/${name}`);
  return name;
}
