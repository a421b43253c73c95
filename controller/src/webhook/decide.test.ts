import { buildConfig, formatIssue, snapshotFromObjects } from '@headland/api';
import { admissionResponse, decide, OUTCOME, type Outcome } from './decide.js';
import { OPERATION, type AdmissionRequest, type Operation } from './review.js';

const NS = 'headland-system';
type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec: Record<string, unknown> };
const m = (kind: string, name: string, spec: Record<string, unknown>, extra: { namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } = {}): Obj => ({
  apiVersion: 'headland.io/v1beta1',
  kind,
  metadata: { name, namespace: extra.namespace ?? NS, ...(extra.labels === undefined ? {} : { labels: extra.labels }), ...(extra.annotations === undefined ? {} : { annotations: extra.annotations }) },
  spec,
});
const pool = (name: string, addresses: string[], extra: Parameters<typeof m>[3] = {}): Obj => m('IPAddressPool', name, { addresses }, extra);
const peer = (name: string, spec: Record<string, unknown> = {}): Obj => m('BGPPeer', name, { myASN: 64512, peerASN: 64500, peerAddress: '198.18.0.1', ...spec });
const bfd = (name: string, spec: Record<string, unknown> = {}): Obj => m('BFDProfile', name, spec);
const community = (name: string, aliases: Record<string, string>): Obj => m('Community', name, { communities: Object.entries(aliases).map(([n, value]) => ({ name: n, value })) });
const bgpAdv = (name: string, spec: Record<string, unknown>): Obj => m('BGPAdvertisement', name, spec);
const l2Adv = (name: string, spec: Record<string, unknown>): Obj => m('L2Advertisement', name, spec);
const withSpec = (o: Obj, spec: Record<string, unknown>): Obj => ({ ...o, spec: { ...o.spec, ...spec } });

function request(operation: Operation, object: Obj | null, oldObject: Obj | null = null, over: Partial<AdmissionRequest> = {}): AdmissionRequest {
  const subject = object ?? oldObject;
  return {
    uid: 'u-1',
    kind: { group: 'headland.io', version: 'v1beta1', kind: subject?.kind ?? 'IPAddressPool' },
    operation,
    namespace: subject?.metadata.namespace ?? NS,
    name: subject?.metadata.name ?? '',
    object,
    oldObject,
    dryRun: false,
    ...over,
  };
}

const good = pool('good', ['203.0.113.0/28']);
const broken = pool('broken', ['203.0.113.300/32']);
const BROKEN_LINE = 'IPAddressPool headland-system/broken: spec.addresses[0]: ip: "203.0.113.300" is not an IP address: IPv4 part "300" is greater than 255';
const fast = bfd('fast');
const torWithBfd = peer('tor', { bfdProfile: 'fast' });
const aliases = community('aliases', { 'no-up': '65535:65281', rtbh: '65000:666' });
const advWithAlias = bgpAdv('adv', { ipAddressPools: ['good'], communities: ['no-up'] });

interface Expected {
  readonly allowed: boolean;
  readonly outcome: Outcome;
  readonly lines?: readonly string[];
  readonly message?: string;
  readonly warnings?: readonly string[];
}

// [what, cluster objects (the informers), request, expected]
const rows: [string, Obj[], AdmissionRequest, Expected][] = [
  // CREATE
  ['a valid pool', [], request('CREATE', good), { allowed: true, outcome: OUTCOME.Valid, warnings: [] }],
  ['an invalid pool, with the line validate prints', [], request('CREATE', broken), { allowed: false, outcome: OUTCOME.Invalid, lines: [BROKEN_LINE], message: BROKEN_LINE }],
  [
    'a pool overlapping one that sorts later: the other would be rejected, so the create is denied with its line',
    [pool('b-old', ['203.0.113.0/28'])],
    request('CREATE', pool('a-new', ['203.0.113.8/29'])),
    { allowed: false, outcome: OUTCOME.BreaksOthers, lines: ['IPAddressPool headland-system/b-old: spec.addresses[0]: 203.0.113.0/28 overlaps IPAddressPool headland-system/a-new at 203.0.113.8/29'] },
  ],
  [
    'a pool overlapping one that sorts earlier: its own line',
    [pool('a-old', ['203.0.113.0/28'])],
    request('CREATE', pool('b-new', ['203.0.113.8/29'])),
    { allowed: false, outcome: OUTCOME.Invalid, lines: ['IPAddressPool headland-system/b-new: spec.addresses[0]: 203.0.113.8/29 overlaps IPAddressPool headland-system/a-old at 203.0.113.8/29'] },
  ],
  ['a valid pool while an unrelated pool is already broken: allowed', [broken], request('CREATE', pool('other', ['203.0.113.64/28'])), { allowed: true, outcome: OUTCOME.Valid }],
  ['an invalid pool beside a broken one: only its own line', [broken], request('CREATE', pool('worse', ['10.0.0.0/33'])), { allowed: false, outcome: OUTCOME.Invalid, lines: ['IPAddressPool headland-system/worse: spec.addresses[0]: ip: "10.0.0.0/33" is not a CIDR: prefix length 33 is longer than 32 bits of IPv4'] }],
  [
    'an advertisement naming a pool that is not there yet: allowed, with the line as a warning',
    [],
    request('CREATE', l2Adv('l2', { ipAddressPools: ['later'] })),
    { allowed: true, outcome: OUTCOME.Valid, warnings: ['L2Advertisement headland-system/l2: spec.ipAddressPools[0]: IPAddressPool "later" does not exist (or is invalid); skipped until it does'] },
  ],
  [
    'a peer naming a BFDProfile not there yet: allowed with a warning',
    [],
    request('CREATE', torWithBfd),
    { allowed: true, outcome: OUTCOME.Valid, warnings: ['BGPPeer headland-system/tor: spec.bfdProfile: BFDProfile "fast" does not exist (or is invalid); the session runs without BFD until it does'] },
  ],
  ['a peer with a password Secret: the controller holds no Secrets, so no warning', [], request('CREATE', peer('md5', { passwordSecret: { name: 'tor-password' } })), { allowed: true, outcome: OUTCOME.Valid, warnings: [] }],
  [
    'an advertisement whose LOCAL_PREF disagrees with an overlapping one',
    [good, bgpAdv('a-adv', { localPref: 100 })],
    request('CREATE', bgpAdv('b-adv', { localPref: 200 })),
    {
      allowed: false,
      outcome: OUTCOME.Invalid,
      lines: ['BGPAdvertisement headland-system/b-adv: spec.localPref: localPref 200 differs from 100 of BGPAdvertisement headland-system/a-adv, which also announces pool good from possibly the same nodes to possibly the same peers'],
    },
  ],
  [
    'a Community taking an alias another defines, sorting first: the other would be rejected',
    [community('z-aliases', { 'no-up': '65535:65281' })],
    request('CREATE', community('a-aliases', { 'no-up': '65000:1' })),
    { allowed: false, outcome: OUTCOME.BreaksOthers, lines: ['Community headland-system/z-aliases: spec.communities[0].name: alias "no-up" is already defined by Community headland-system/a-aliases'] },
  ],
  ['a BFDProfile with a bad multiplier (the schema line)', [], request('CREATE', bfd('bad', { detectMultiplier: 1 })), { allowed: false, outcome: OUTCOME.Invalid, lines: ['BFDProfile headland-system/bad: spec.detectMultiplier: Invalid value: 1: must be greater than or equal to 2'] }],

  // UPDATE
  ['an update that breaks a good pool', [good], request('UPDATE', pool('good', ['203.0.113.0/33']), good), { allowed: false, outcome: OUTCOME.Invalid, lines: ['IPAddressPool headland-system/good: spec.addresses[0]: ip: "203.0.113.0/33" is not a CIDR: prefix length 33 is longer than 32 bits of IPv4'] }],
  ['an update that fixes a broken pool', [broken], request('UPDATE', pool('broken', ['203.0.113.32/28']), broken), { allowed: true, outcome: OUTCOME.Valid }],
  ['an update of a broken pool that keeps it broken', [broken], request('UPDATE', pool('broken', ['203.0.113.300/32', '203.0.113.32/28']), broken), { allowed: false, outcome: OUTCOME.Invalid, lines: [BROKEN_LINE] }],
  ['a label change on a broken pool (labels feed pool selectors): its problems deny it', [broken], request('UPDATE', pool('broken', ['203.0.113.300/32'], { labels: { zone: 'a' } }), broken), { allowed: false, outcome: OUTCOME.Invalid, lines: [BROKEN_LINE] }],
  ['an annotation-only update of a broken pool', [broken], request('UPDATE', pool('broken', ['203.0.113.300/32'], { annotations: { note: 'x' } }), broken), { allowed: true, outcome: OUTCOME.Unchanged }],
  [
    'removing an alias an advertisement uses: the advertisement would be held back',
    [good, aliases, advWithAlias],
    request('UPDATE', community('aliases', { rtbh: '65000:666' }), aliases),
    { allowed: false, outcome: OUTCOME.BreaksOthers, lines: ['BGPAdvertisement headland-system/adv: spec.communities[0]: Community alias "no-up" is not defined by any Community object'] },
  ],
  ['removing an alias nobody uses', [good, aliases, advWithAlias], request('UPDATE', community('aliases', { 'no-up': '65535:65281' }), aliases), { allowed: true, outcome: OUTCOME.Valid }],
  [
    'an advertisement already in conflict stays so whoever its rival is: the rival may change',
    [good, bgpAdv('a-adv', { localPref: 100 }), bgpAdv('b-adv', { localPref: 200 })],
    request('UPDATE', bgpAdv('a-adv', { localPref: 300 }), bgpAdv('a-adv', { localPref: 100 })),
    { allowed: true, outcome: OUTCOME.Valid },
  ],
  [
    'the request\'s oldObject is used, not a stale informer copy',
    [pool('good', ['203.0.113.64/28'])],
    request('UPDATE', pool('good', ['203.0.113.0/29']), good),
    { allowed: true, outcome: OUTCOME.Valid },
  ],

  // DELETE
  [
    'a BFDProfile a peer uses',
    [fast, torWithBfd],
    request('DELETE', null, fast),
    {
      allowed: false,
      outcome: OUTCOME.InUse,
      lines: ['BGPPeer headland-system/tor: spec.bfdProfile: BFDProfile "fast" does not exist (or is invalid); the session runs without BFD until it does'],
      message:
        'BFDProfile headland-system/fast is still referenced by BGPPeer headland-system/tor (spec.bfdProfile); change or delete those first\n' +
        'BGPPeer headland-system/tor: spec.bfdProfile: BFDProfile "fast" does not exist (or is invalid); the session runs without BFD until it does',
    },
  ],
  ['a BFDProfile nobody uses', [fast, peer('tor')], request('DELETE', null, fast), { allowed: true, outcome: OUTCOME.Valid }],
  ['an invalid BFDProfile a peer names (the peer already runs without it)', [bfd('fast', { detectMultiplier: 1 }), torWithBfd], request('DELETE', null, bfd('fast', { detectMultiplier: 1 })), { allowed: true, outcome: OUTCOME.Valid }],
  [
    'a Community an advertisement uses',
    [good, aliases, advWithAlias],
    request('DELETE', null, aliases),
    { allowed: false, outcome: OUTCOME.InUse, lines: ['BGPAdvertisement headland-system/adv: spec.communities[0]: Community alias "no-up" is not defined by any Community object'] },
  ],
  [
    'a Community whose alias another Community also defines (that one takes over)',
    [good, aliases, community('z-aliases', { 'no-up': '65535:65281' }), advWithAlias],
    request('DELETE', null, aliases),
    { allowed: true, outcome: OUTCOME.Valid },
  ],
  [
    'a pool an advertisement names: allowed (not protected), the new problem as a warning',
    [good, l2Adv('l2', { ipAddressPools: ['good'] })],
    request('DELETE', null, good),
    { allowed: true, outcome: OUTCOME.Valid, warnings: ['L2Advertisement headland-system/l2: spec.ipAddressPools[0]: IPAddressPool "good" does not exist (or is invalid); skipped until it does'] },
  ],
  ['a DELETE without oldObject reads the informer', [fast, torWithBfd], request('DELETE', null, null, { kind: { group: 'headland.io', version: 'v1beta1', kind: 'BFDProfile' }, name: 'fast' }), { allowed: false, outcome: OUTCOME.InUse }],
  ['a DELETE of something the informers never saw', [], request('DELETE', null, null, { kind: { group: 'headland.io', version: 'v1beta1', kind: 'BFDProfile' }, name: 'gone' }), { allowed: true, outcome: OUTCOME.NotChecked }],

  // Not ours to judge
  [
    'a pool in another namespace: ignored by Headland, allowed with a warning',
    [],
    request('CREATE', pool('elsewhere', ['203.0.113.300/32'], { namespace: 'default' })),
    { allowed: true, outcome: OUTCOME.OtherNamespace, warnings: ['IPAddressPool default/elsewhere: metadata.namespace: Headland reads IPAddressPool objects only in namespace headland-system; this one is ignored'] },
  ],
  ['a status kind', [], request('CREATE', m('ServiceBGPStatus', 's', {})), { allowed: true, outcome: OUTCOME.NotChecked }],
  ['another group', [], request('CREATE', good, null, { kind: { group: 'metallb.io', version: 'v1beta1', kind: 'IPAddressPool' } }), { allowed: true, outcome: OUTCOME.NotChecked }],
  ['CONNECT', [], request('CONNECT', good), { allowed: true, outcome: OUTCOME.NotChecked }],
  ['a CREATE without an object', [], request('CREATE', null, null, { name: 'x' }), { allowed: false, outcome: OUTCOME.Malformed, lines: ['IPAddressPool headland-system/x: (object): the admission request carries no object'] }],
];

describe('decide', () => {
  test.each(rows)('%s', (_what, cluster, req, expected) => {
    const d = decide(req, { namespace: NS, objects: cluster });
    expect({ allowed: d.allowed, outcome: d.outcome }).toEqual({ allowed: expected.allowed, outcome: expected.outcome });
    if (expected.lines !== undefined) expect(d.lines).toEqual(expected.lines);
    if (expected.message !== undefined) expect(d.message).toBe(expected.message);
    if (expected.warnings !== undefined) expect(d.warnings).toEqual(expected.warnings);
    if (d.allowed) expect(d.lines).toEqual([]);
    else if (d.outcome !== OUTCOME.InUse) expect(d.message).toBe(d.lines.join('\n'));
  });

  test('a denial is exactly what `headland validate` prints for the same objects (formatIssue over buildConfig)', () => {
    const objects = [good, broken, pool('also-bad', ['2001:db8::/129'])];
    const validateLines = buildConfig(snapshotFromObjects(objects).snapshot).issues.map(formatIssue);
    const denied = objects.flatMap((o) => decide(request('CREATE', o), { namespace: NS, objects: objects.filter((x) => x !== o) }).lines);
    expect([...denied].sort()).toEqual([...validateLines].sort());
  });

  test('a dry run is decided the same', () => {
    expect(decide({ ...request('CREATE', broken), dryRun: true }, { namespace: NS, objects: [] }).lines).toEqual([BROKEN_LINE]);
  });
});

describe('admissionResponse', () => {
  test('allowed, with warnings', () => {
    expect(admissionResponse('u', { allowed: true, outcome: OUTCOME.Valid, lines: [], message: '', warnings: ['w'] })).toEqual({ uid: 'u', allowed: true, warnings: ['w'] });
  });
  test('allowed, without warnings', () => {
    expect(admissionResponse('u', { allowed: true, outcome: OUTCOME.Valid, lines: [], message: '', warnings: [] })).toEqual({ uid: 'u', allowed: true });
  });
  test('denied: 403 Forbidden with the lines', () => {
    expect(admissionResponse('u', { allowed: false, outcome: OUTCOME.Invalid, lines: ['a', 'b'], message: 'a\nb', warnings: [] })).toEqual({
      uid: 'u',
      allowed: false,
      status: { code: 403, reason: 'Forbidden', message: 'a\nb' },
    });
  });
});

test('every outcome is reachable by a row', () => {
  const seen = new Set(rows.map(([, , , e]) => e.outcome));
  expect([...Object.values(OUTCOME)].filter((o) => !seen.has(o))).toEqual([]);
});

test('OPERATION names the four admission operations', () => {
  expect(Object.values(OPERATION)).toEqual(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);
});
