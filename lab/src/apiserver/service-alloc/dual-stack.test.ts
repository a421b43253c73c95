import { isObject, type JsonObject } from '../json.js';
import { ServiceAllocator } from './allocator.js';
import { edit, MiniStore, outcomeText, service, specOf, type Outcome } from './fixtures.js';
import { restore } from './restore.js';

const DUAL = ['198.19.128.0/20', '2001:db8:5e::/112'];
const DUAL6 = ['2001:db8:5e::/112', '198.19.128.0/20'];
const SINGLE = ['198.19.128.0/20'];
// With random picks at 0 the first addresses are these two.
const V4 = '198.19.129.1';
const V6 = '2001:db8:5e::101';

test.each<[string, string[], JsonObject, string, JsonObject?]>([
  ['no policy: SingleStack in the primary family', DUAL, {}, 'ok', { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'], clusterIPs: [V4], clusterIP: V4 }],
  ['PreferDualStack gets both, primary first', DUAL, { ipFamilyPolicy: 'PreferDualStack' }, 'ok', { ipFamilies: ['IPv4', 'IPv6'], clusterIPs: [V4, V6], clusterIP: V4 }],
  ['RequireDualStack gets both', DUAL, { ipFamilyPolicy: 'RequireDualStack' }, 'ok', { ipFamilies: ['IPv4', 'IPv6'], clusterIPs: [V4, V6] }],
  ['ipFamilies [IPv6] alone', DUAL, { ipFamilies: ['IPv6'] }, 'ok', { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'], clusterIPs: [V6], clusterIP: V6 }],
  ['ipFamilies order decides clusterIP', DUAL, { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv6', 'IPv4'] }, 'ok', { clusterIPs: [V6, V4], clusterIP: V6 }],
  ['families follow the given clusterIPs', DUAL, { ipFamilyPolicy: 'PreferDualStack', clusterIP: '2001:db8:5e::10', clusterIPs: ['2001:db8:5e::10', '198.19.128.10'] }, 'ok',
    { ipFamilies: ['IPv6', 'IPv4'], clusterIPs: ['2001:db8:5e::10', '198.19.128.10'] }],
  ['a given primary, an allocated secondary', DUAL, { ipFamilyPolicy: 'PreferDualStack', clusterIP: '198.19.128.10' }, 'ok', { clusterIPs: ['198.19.128.10', V6] }],
  ['IPv6-primary cluster: no policy', DUAL6, {}, 'ok', { ipFamilies: ['IPv6'], clusterIPs: [V6] }],
  ['IPv6-primary cluster: PreferDualStack', DUAL6, { ipFamilyPolicy: 'PreferDualStack' }, 'ok', { ipFamilies: ['IPv6', 'IPv4'], clusterIPs: [V6, V4] }],
  ['single-stack cluster: PreferDualStack settles for one', SINGLE, { ipFamilyPolicy: 'PreferDualStack' }, 'ok', { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4'], clusterIPs: [V4] }],
  ['single-stack cluster: RequireDualStack', SINGLE, { ipFamilyPolicy: 'RequireDualStack' },
    'Service "a" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services'],
  ['single-stack cluster: ipFamilies [IPv6]', SINGLE, { ipFamilies: ['IPv6'] }, 'Service "a" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster'],
  ['single-stack cluster: an IPv6 clusterIP', SINGLE, { clusterIP: '2001:db8:5e::10' },
    'Service "a" is invalid: spec.clusterIPs[0]: Invalid value: []string{"2001:db8:5e::10"}: IPv6 is not configured on this cluster'],
  ['single-stack cluster: headless without selector is RequireDualStack all the same', SINGLE, { clusterIP: 'None' }, 'ok',
    { clusterIPs: ['None'], ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] }],
  ['headless with a selector is SingleStack', DUAL, { clusterIP: 'None', selector: { app: 'a' } }, 'ok', { clusterIPs: ['None'], ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] }],
  ['SingleStack with two families', DUAL, { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4', 'IPv6'] },
    'Service "a" is invalid: spec.ipFamilyPolicy: Invalid value: "SingleStack": must be \'RequireDualStack\' or \'PreferDualStack\' when multiple IP families are specified'],
  ['SingleStack with two clusterIPs', DUAL, { ipFamilyPolicy: 'SingleStack', clusterIP: '198.19.128.10', clusterIPs: ['198.19.128.10', '2001:db8:5e::10'] },
    'Service "a" is invalid: spec.ipFamilyPolicy: Invalid value: "SingleStack": must be \'RequireDualStack\' or \'PreferDualStack\' when multiple cluster IPs are specified'],
  ['two addresses of one family', DUAL, { clusterIP: '198.19.128.10', clusterIPs: ['198.19.128.10', '198.19.128.11'] },
    'Service "a" is invalid: spec.clusterIPs: Invalid value: []string{"198.19.128.10", "198.19.128.11"}: may specify no more than one IP for each IP family'],
  ['three addresses', DUAL, { clusterIP: '198.19.128.10', clusterIPs: ['198.19.128.10', '2001:db8:5e::10', '198.19.128.11'] },
    'Service "a" is invalid: spec.clusterIPs: Invalid value: []string{"198.19.128.10", "2001:db8:5e::10", "198.19.128.11"}: may only hold up to 2 values'],
  ['an address of the wrong family for its slot', DUAL, { ipFamilies: ['IPv6'], clusterIP: '198.19.128.10' },
    'Service "a" is invalid: spec.clusterIPs[0]: Invalid value: "198.19.128.10": expected an IPv6 value as indicated by `ipFamilies[0]`'],
  ['clusterIPs without clusterIP', DUAL, { clusterIPs: ['198.19.128.10'] },
    'Service "a" is invalid: spec.clusterIPs: Invalid value: []string{"198.19.128.10"}: must be empty when `clusterIP` is not specified'],
  ['None among others', DUAL, { clusterIP: 'None', clusterIPs: ['None', '198.19.128.10'] },
    'Service "a" is invalid: spec.clusterIPs: Invalid value: []string{"None", "198.19.128.10"}: \'None\' must be the first and only value'],
  ['an unknown family', DUAL, { ipFamilies: ['IPv5'] }, 'Service "a" is invalid: spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"'],
  ['a family twice', DUAL, { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv4'] }, 'Service "a" is invalid: spec.ipFamilies[1]: Duplicate value: "IPv4"'],
  ['an unknown policy', DUAL, { ipFamilyPolicy: 'Dual' },
    'Service "a" is invalid: spec.ipFamilyPolicy: Unsupported value: "Dual": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"'],
])('%s', (...[, cidrs, spec, want, fields]) => {
  const store = new MiniStore(new ServiceAllocator({ serviceClusterIPRanges: cidrs, random: () => 0 }));
  const out = store.create(service('a', spec));
  expect(outcomeText(out)).toBe(want);
  if (fields !== undefined) expect(specOf(out)).toMatchObject(fields);
  if (want !== 'ok') expect(Object.values(store.alloc.snapshot().ips).flat()).toEqual([]);
});

describe('one dual-stack Service through upgrades and downgrades', () => {
  const store = new MiniStore(new ServiceAllocator({ serviceClusterIPRanges: DUAL, random: () => 0 }));
  const held = (): string[] => Object.values(store.alloc.snapshot().ips).flat();
  test.each<[string, () => Outcome, string, string[]]>([
    ['created single-stack', () => store.create(service('a')), 'ok', [V4]],
    ['RequireDualStack adds the secondary', () => store.update('a', (o) => edit(o, { ipFamilyPolicy: 'RequireDualStack' })), 'ok', [V4, V6]],
    ['SingleStack alone trims both lists and frees the secondary', () => store.update('a', (o) => edit(o, { ipFamilyPolicy: 'SingleStack' })), 'ok', [V4]],
    ['PreferDualStack adds it back', () => store.update('a', (o) => edit(o, { ipFamilyPolicy: 'PreferDualStack' })), 'ok', [V4, V6]],
    ['dropping the secondary without SingleStack', () => store.update('a', (o) => edit(o, { clusterIPs: [V4] })),
      'Service "a" is invalid: spec.ipFamilyPolicy: Invalid value: "PreferDualStack": must be \'SingleStack\' to release the secondary cluster IP', [V4, V6]],
    ['dropping both with SingleStack', () => store.update('a', (o) => edit(o, { ipFamilyPolicy: 'SingleStack', clusterIPs: [V4], ipFamilies: ['IPv4'] })), 'ok', [V4]],
    ['a second Service takes a static IPv6 address', () => store.create(service('b', { ipFamilies: ['IPv6'], clusterIP: '2001:db8:5e::10' })), 'ok', [V4, '2001:db8:5e::10']],
    ['a third wants a free IPv4 and that IPv6 one: neither is kept', () =>
      store.create(service('c', { ipFamilyPolicy: 'PreferDualStack', clusterIP: '198.19.128.10', clusterIPs: ['198.19.128.10', '2001:db8:5e::10'] })),
      'Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"198.19.128.10", "2001:db8:5e::10"}: failed to allocate IP 2001:db8:5e::10: provided IP is already allocated',
      [V4, '2001:db8:5e::10']],
  ])('%s', (...[, act, want, ips]) => {
    expect(outcomeText(act())).toBe(want);
    expect(held()).toEqual(ips);
  });
});

test('swapping the families of a dual-stack Service is refused on every changed field', () => {
  const store = new MiniStore(new ServiceAllocator({ serviceClusterIPRanges: DUAL, random: () => 0 }));
  store.create(service('a', { ipFamilyPolicy: 'PreferDualStack' }));
  const out = store.update('a', (o) => edit(o, { clusterIP: V6, clusterIPs: [V6, V4], ipFamilies: ['IPv6', 'IPv4'] }));
  if (!(out instanceof Error)) throw new Error('accepted');
  const ips = `[]string{"${V6}", "${V4}"}`;
  const families = '[]core.IPFamily{"IPv6", "IPv4"}';
  expect(out.details?.causes).toEqual([
    { reason: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', message: `Invalid value: ${ips}: may not change once set` },
    { reason: 'FieldValueInvalid', field: 'spec.clusterIPs[1]', message: `Invalid value: ${ips}: may not change once set` },
    { reason: 'FieldValueInvalid', field: 'spec.ipFamilies[0]', message: `Invalid value: ${families}: may not change once set` },
    { reason: 'FieldValueInvalid', field: 'spec.ipFamilies[0]', message: `Invalid value: ${families}: may not change once set` },
  ]);
});

test('a PreferDualStack Service stays single-stack when the cluster becomes dual-stack, until asked', () => {
  const before = new MiniStore(new ServiceAllocator({ serviceClusterIPRanges: SINGLE, random: () => 0 }));
  before.create(service('a', { ipFamilyPolicy: 'PreferDualStack' }));
  const after = new MiniStore(new ServiceAllocator({ serviceClusterIPRanges: DUAL, random: () => 0 }));
  const { services } = restore(after.alloc, [...before.objects.values()]);
  for (const s of services) after.objects.set('a', s);
  const selector = (o: JsonObject): JsonObject => edit(o, { selector: { app: 'a' } });
  expect(specOf(after.update('a', selector))).toMatchObject({ ipFamilies: ['IPv4'], clusterIPs: [V4] });
  const upgraded = after.update('a', (o) => edit(o, { ipFamilyPolicy: 'RequireDualStack' }));
  expect(specOf(upgraded)).toMatchObject({ ipFamilies: ['IPv4', 'IPv6'], clusterIPs: [V4, V6] });
  expect(isObject(upgraded) && after.alloc.snapshot()).toEqual({ ips: { IPv4: [V4], IPv6: [V6] }, nodePorts: [] });
});
