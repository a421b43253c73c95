import { IFNAMSIZ, isLabLink, labOfNamespace, labTag, linkPrefix, mgmtBridge, mgmtHostLink, namespacePrefix, nodeNamespace, podNamespace, frrPathspace } from './naming.js';
import { LabError } from './errors.js';

const labs = ['a', 'frr-tor', 'frr-tor-dualstack', 'bird-tor', 'gobgp-tor', 'l2-flat', 'x'.repeat(24), '0123456789abcdefghijklmn'];

describe('naming', () => {
  test.each(labs)('every root link of lab %s fits IFNAMSIZ and carries the lab prefix', (lab) => {
    const names = [mgmtBridge(lab), mgmtHostLink(lab, 0), mgmtHostLink(lab, 98)];
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(IFNAMSIZ);
      expect(name.startsWith(linkPrefix(lab))).toBe(true);
      expect(isLabLink(name)).toBe(true);
    }
  });

  test('link tags differ between labs, so one lab never matches another lab\'s links', () => {
    const tags = labs.map(labTag);
    expect(new Set(tags).size).toBe(labs.length);
    for (const a of labs) for (const b of labs) if (a !== b) expect(mgmtBridge(b).startsWith(linkPrefix(a))).toBe(false);
  });

  test('the tag is stable (down after a crash recomputes it from the name)', () => {
    expect(labTag('frr-tor')).toBe(labTag('frr-tor'));
    expect(labTag('frr-tor')).toMatch(/^[0-9a-z]{5}$/);
  });

  test.each([
    ['frr-tor', 'frr-tor-dualstack'],
    ['a', 'a-b'],
  ])('namespaces of lab %s are not taken for lab %s', (a, b) => {
    expect(nodeNamespace(b, 'tor').startsWith(namespacePrefix(a))).toBe(false);
    expect(podNamespace(b, 'node1', 'pod-a').startsWith(namespacePrefix(a))).toBe(false);
  });

  test.each([
    ['hl-frr-tor_tor', 'frr-tor'],
    ['hl-frr-tor_node1_pod-a', 'frr-tor'],
    ['hl-l2-flat_client', 'l2-flat'],
    ['hlkp-try', undefined],
    ['hl-frr-tor', undefined],
    ['other', undefined],
  ])('labOfNamespace(%s) is %s', (ns, lab) => {
    expect(labOfNamespace(ns)).toBe(lab);
  });

  test.each(['eth0', 'hl-mgmt', 'hlkp-veth0', 'hlABCDE-x'])('%s is not a lab link', (name) => {
    expect(isLabLink(name)).toBe(false);
  });

  test('the FRR pathspace has neither "." nor "/" (FRR refuses them)', () => {
    expect(frrPathspace('frr-tor-dualstack', 'tor')).not.toMatch(/[./]/);
  });

  test.each(['', 'Frr', 'a_b', 'a.b', '-a', 'x'.repeat(25), 'a/b'])('lab name %j is refused with a LabError', (lab) => {
    expect(() => labTag(lab)).toThrow(LabError);
    expect(() => namespacePrefix(lab)).toThrow(/^lab\/naming: /);
  });

  test.each([-1, 99, 1.5])('mgmt link index %d is refused', (i) => {
    expect(() => mgmtHostLink('frr-tor', i)).toThrow(/lab\/naming: mgmt link index/);
  });
});
