// metallb.io custom resources (v1beta1, and v1beta2 for BGPPeer) to Headland's: most fields carry
// over by name; what has no equivalent or means something else is reported on its field.
import type { BFDProfileSpec, BGPAdvertisementSpec, BGPPeerSpec, CommunitySpec, IPAddressPoolSpec, L2AdvertisementSpec } from '@headland/api';
import { bfdSpec, peerSpec } from './bgp.js';
import { compact, describeObject, droppedAliasMessage, headlandMetadata, headlandObject, poolAddresses, rewriteCommunities, type ConvertContext } from './common.js';
import { Fields, isRecord } from './fields.js';
import type { Report } from './report.js';
import type { ConvertedObject, SpecFields } from './types.js';

/** The MetalLB kinds read, and the versions of each. */
export const METALLB_KINDS = {
  IPAddressPool: ['v1beta1'],
  BGPAdvertisement: ['v1beta1'],
  L2Advertisement: ['v1beta1'],
  BGPPeer: ['v1beta1', 'v1beta2'],
  BFDProfile: ['v1beta1'],
  Community: ['v1beta1'],
} as const satisfies Record<string, readonly string[]>;
export type MetalLBKind = keyof typeof METALLB_KINDS;

export const isMetalLBKind = (kind: string): kind is MetalLBKind => Object.hasOwn(METALLB_KINDS, kind);

const TOP_LEVEL = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];

/** One metallb.io object; undefined when it cannot be converted (the report says why). */
export function convertResource(object: Record<string, unknown>, version: string, kind: MetalLBKind, where: string, report: Report, ctx: ConvertContext): ConvertedObject | undefined {
  const rawMeta = isRecord(object['metadata']) ? object['metadata'] : {};
  const name = typeof rawMeta['name'] === 'string' && rawMeta['name'] !== '' ? rawMeta['name'] : undefined;
  const inputNamespace = typeof rawMeta['namespace'] === 'string' ? rawMeta['namespace'] : undefined;
  const source = { where, object: describeObject(kind, inputNamespace, name ?? '(no name)') };
  const r = report.about(source);
  const top = new Fields(object, r);
  for (const key of TOP_LEVEL) top.raw(key);
  top.finish(TOP_LEVEL, 'a Kubernetes object');
  const metadata = Fields.of(object['metadata'], r.at('metadata'));
  if (name === undefined) {
    r.error('metadata.name', 'missing: every MetalLB object has a name, and Headland objects keep it');
    return undefined;
  }
  ctx.namespaces.add(inputNamespace ?? '');
  const spec = Fields.of(object['spec'], r.at('spec'));
  if (metadata === undefined || spec === undefined) return undefined;

  const what = `metallb.io/${version} ${kind}`;
  const converted = SPEC_CONVERTERS[kind](spec, { version, what, ctx });
  if (converted === undefined) return undefined;
  spec.finish(converted.known, what);
  const meta = headlandMetadata(name, ctx.namespace, metadata.stringMap('labels'), metadata.stringMap('annotations'), r);
  return { object: headlandObject(kind, meta, converted.spec), source };
}

interface SpecContext {
  readonly version: string;
  /** "metallb.io/v1beta1 IPAddressPool", for messages. */
  readonly what: string;
  readonly ctx: ConvertContext;
}

/** A Headland spec and the MetalLB field names of the kind (for unknown-field hints). */
interface ConvertedSpec {
  readonly spec: Record<string, unknown>;
  readonly known: readonly string[];
}

const SPEC_CONVERTERS: Record<MetalLBKind, (spec: Fields, c: SpecContext) => ConvertedSpec | undefined> = {
  IPAddressPool: ipAddressPool,
  BGPAdvertisement: bgpAdvertisement,
  L2Advertisement: l2Advertisement,
  BGPPeer: bgpPeer,
  BFDProfile: bfdProfile,
  Community: community,
};

function ipAddressPool(spec: Fields): ConvertedSpec {
  const addresses = spec.strings('addresses');
  const allocation = spec.nested('serviceAllocation');
  let serviceAllocation: Record<string, unknown> | undefined;
  if (allocation !== undefined) {
    const priority = allocation.integer('priority');
    // MetalLB: 0 (Go's zero value) is "no priority", tried after every pool that has one; in
    // Headland 0 would come first.
    if (priority === 0) allocation.report.changed('priority', '0 means "no priority" in MetalLB (such pools are tried last), but would be the highest priority in Headland; left out');
    serviceAllocation = compact({
      priority: priority === 0 ? undefined : priority,
      namespaces: allocation.strings('namespaces'),
      namespaceSelectors: allocation.list('namespaceSelectors'),
      serviceSelectors: allocation.list('serviceSelectors'),
    } satisfies SpecFields<NonNullable<IPAddressPoolSpec['serviceAllocation']>>);
    allocation.finish(['priority', 'namespaces', 'namespaceSelectors', 'serviceSelectors'], 'serviceAllocation');
  }
  return {
    spec: compact({
      addresses: addresses === undefined ? undefined : poolAddresses(addresses, spec.report, 'addresses'),
      autoAssign: spec.boolean('autoAssign'),
      avoidBuggyIPs: spec.boolean('avoidBuggyIPs'),
      serviceAllocation,
    } satisfies SpecFields<IPAddressPoolSpec>),
    known: ['addresses', 'autoAssign', 'avoidBuggyIPs', 'serviceAllocation'],
  };
}

function bgpAdvertisement(spec: Fields, { ctx }: SpecContext): ConvertedSpec {
  const localPref = spec.integer('localPref');
  if (localPref === 0) spec.report.note('localPref', '0 means "not set" in MetalLB (Go\'s omitempty); left out');
  const communities = spec.strings('communities');
  return {
    spec: compact({
      ipAddressPools: spec.strings('ipAddressPools'),
      ipAddressPoolSelectors: spec.list('ipAddressPoolSelectors'),
      serviceSelectors: spec.list('serviceSelectors'),
      nodeSelectors: spec.list('nodeSelectors'),
      peers: spec.strings('peers'),
      aggregationLength: spec.integer('aggregationLength'),
      aggregationLengthV6: spec.integer('aggregationLengthV6'),
      localPref: localPref === 0 ? undefined : localPref,
      communities: communities === undefined ? undefined : rewriteCommunities(communities, ctx.aliases, spec.report, 'communities'),
    } satisfies SpecFields<BGPAdvertisementSpec>),
    known: ['aggregationLength', 'aggregationLengthV6', 'localPref', 'communities', 'ipAddressPools', 'ipAddressPoolSelectors', 'nodeSelectors', 'peers', 'serviceSelectors'],
  };
}

function l2Advertisement(spec: Fields): ConvertedSpec {
  const interfaces = spec.strings('interfaces');
  if (interfaces !== undefined && interfaces.length > 0) {
    spec.report.changed(
      'interfaces',
      'Headland elects only among nodes that have one of these interfaces (a node without any is no candidate); MetalLB elected regardless and then did not answer on a node that lacked them',
    );
  }
  const nodeSelectors = spec.list('nodeSelectors');
  if (nodeSelectors !== undefined && nodeSelectors.length > 0) {
    spec.report.note('nodeSelectors', 'carried over with the same meaning (only these nodes may answer); a selected node must also pass the data-plane check, and have one of the interfaces when they are named');
  }
  if (spec.has('preferredNodeSelectors')) {
    spec.report.dropped('preferredNodeSelectors', 'Headland\'s L2 election has no soft node preference: every eligible node is an equal candidate; use nodeSelectors to restrict instead');
  }
  return {
    spec: compact({
      ipAddressPools: spec.strings('ipAddressPools'),
      ipAddressPoolSelectors: spec.list('ipAddressPoolSelectors'),
      serviceSelectors: spec.list('serviceSelectors'),
      nodeSelectors,
      interfaces,
    } satisfies SpecFields<L2AdvertisementSpec>),
    known: ['ipAddressPools', 'ipAddressPoolSelectors', 'nodeSelectors', 'interfaces', 'serviceSelectors', 'preferredNodeSelectors'],
  };
}

const V1BETA1_PEER_FIELDS = ['myASN', 'peerASN', 'peerAddress', 'sourceAddress', 'peerPort', 'holdTime', 'keepaliveTime', 'routerID', 'nodeSelectors', 'password', 'bfdProfile', 'ebgpMultiHop'];
const V1BETA2_PEER_FIELDS = [
  ...V1BETA1_PEER_FIELDS,
  'localASN',
  'dynamicASN',
  'interface',
  'connectTime',
  'passwordSecret',
  'enableGracefulRestart',
  'vrf',
  'disableMP',
  'dualStackAddressFamily',
];

function bgpPeer(spec: Fields, { version, ctx }: SpecContext): ConvertedSpec | undefined {
  const r = spec.report;
  const base = peerSpec(
    {
      myASN: spec.integer('myASN'),
      peerASN: spec.integer('peerASN'),
      peerAddress: spec.string('peerAddress'),
      sourceAddress: spec.string('sourceAddress'),
      peerPort: spec.integer('peerPort'),
      holdTime: spec.string('holdTime'),
      keepaliveTime: spec.string('keepaliveTime'),
      routerID: spec.string('routerID'),
      nodeSelectors: spec.list('nodeSelectors'),
      password: spec.string('password'),
      bfdProfile: spec.string('bfdProfile'),
      ebgpMultiHop: spec.boolean('ebgpMultiHop'),
    },
    r,
    { holdTime: 'holdTime', keepaliveTime: 'keepaliveTime', peerPort: 'peerPort', ebgpMultiHop: 'ebgpMultiHop' },
  );
  if (version === 'v1beta1') {
    ctx.routerIDs.push({ report: r, field: 'routerID', routerID: base.routerID as string | undefined });
    return { spec: base, known: V1BETA1_PEER_FIELDS };
  }

  const extra: SpecFields<BGPPeerSpec> = {};
  const iface = spec.string('interface');
  if (iface !== undefined && iface !== '') {
    r.error('interface', `unnumbered BGP over interface ${JSON.stringify(iface)} has no Headland equivalent: a Headland BGPPeer needs peerAddress; the peer is not converted`);
    spec.finish(V1BETA2_PEER_FIELDS, 'metallb.io/v1beta2 BGPPeer');
    return undefined;
  }
  const localASN = spec.integer('localASN');
  if (localASN !== undefined && localASN !== 0) {
    r.changed('localASN', `the peer sees AS ${localASN}; Headland sets the AS per BGPPeer, so myASN is ${localASN} (MetalLB's router-wide myASN ${String(base.myASN ?? '(unset)')} is not used for this session)`);
    extra.myASN = localASN;
  }
  const dynamicASN = spec.string('dynamicASN');
  if (dynamicASN !== undefined && dynamicASN !== '') extra.dynamicASN = dynamicASN;
  const connectTime = spec.string('connectTime');
  if (connectTime !== undefined && connectTime !== '') extra.connectTime = connectTime;
  const secret = passwordSecret(spec, ctx.namespace);
  if (secret !== undefined) extra.passwordSecret = secret;
  const gracefulRestart = spec.boolean('enableGracefulRestart');
  if (gracefulRestart !== undefined) extra.enableGracefulRestart = gracefulRestart;
  if (gracefulRestart === true) {
    r.note(
      'enableGracefulRestart',
      'carried over: Headland negotiates graceful restart (RFC 4724) with a 120s restart time and the forwarding-state bit, and uses it on its own rollouts; unlike MetalLB the field may be changed later (the session is reset)',
    );
  }
  const vrf = spec.string('vrf');
  if (vrf !== undefined && vrf !== '') {
    r.dropped('vrf', `Headland opens BGP sessions in the node's default VRF only; a peer reachable only through VRF ${JSON.stringify(vrf)} will not come up, and traffic would not be drawn to that VRF's interfaces`);
  }
  if (spec.boolean('disableMP') === true) {
    r.changed('disableMP', 'Headland cannot keep a session to its own address family: when the node has an address of the other family, that family is carried too (MP-BGP)');
  }
  if (spec.boolean('dualStackAddressFamily') === true) {
    r.note('dualStackAddressFamily', 'Headland does this by default whenever the node has an address of the other family');
  }
  const merged = compact({ ...base, ...extra });
  ctx.routerIDs.push({ report: r, field: 'routerID', routerID: merged['routerID'] as string | undefined });
  return { spec: merged, known: V1BETA2_PEER_FIELDS };
}

/** MetalLB's SecretReference, or undefined when absent or empty (`passwordSecret: {}` is "unset"). */
function passwordSecret(spec: Fields, namespace: string): { name: string } | undefined {
  const ref = spec.nested('passwordSecret');
  if (ref === undefined) return undefined;
  const name = ref.string('name');
  const from = ref.string('namespace');
  ref.finish(['name', 'namespace'], 'passwordSecret');
  if (name === undefined || name === '') return undefined;
  spec.report.at('passwordSecret').changed(
    '',
    `Headland reads the password from Secret ${namespace}/${name} (key "password", any type), where its speakers may read Secrets; MetalLB read ${from === undefined || from === '' ? 'it from its own namespace' : `${from}/${name}`} (type kubernetes.io/basic-auth). Copy the Secret there, or give it to headland convert, which writes a copy`,
  );
  return { name };
}

function bfdProfile(spec: Fields): ConvertedSpec {
  return {
    spec: bfdSpec(
      {
        receiveInterval: spec.integer('receiveInterval'),
        transmitInterval: spec.integer('transmitInterval'),
        detectMultiplier: spec.integer('detectMultiplier'),
        minimumTtl: spec.integer('minimumTtl'),
        passiveMode: spec.boolean('passiveMode'),
        echoInterval: spec.integer('echoInterval'),
        echoMode: spec.boolean('echoMode'),
      },
      spec.report,
      { echoInterval: 'echoInterval', echoMode: 'echoMode' },
    ) satisfies SpecFields<BFDProfileSpec>,
    known: ['receiveInterval', 'transmitInterval', 'detectMultiplier', 'echoInterval', 'echoMode', 'passiveMode', 'minimumTtl'],
  };
}

function community(spec: Fields, { ctx }: SpecContext): ConvertedSpec {
  const communities: { name: unknown; value: unknown }[] = [];
  (spec.list('communities') ?? []).forEach((item, i) => {
    const entry = Fields.of(item, spec.report.at(`communities[${i}]`));
    if (entry === undefined) return;
    const name = entry.string('name');
    const value = entry.string('value');
    entry.finish(['name', 'value'], 'a community alias');
    if (name !== undefined && ctx.aliases.dropped.has(name)) {
      entry.report.changed('name', droppedAliasMessage(name, value ?? ''));
      return;
    }
    communities.push({ name, value });
  });
  return { spec: { communities } satisfies SpecFields<CommunitySpec>, known: ['communities'] };
}

