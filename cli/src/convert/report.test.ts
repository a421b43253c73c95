import { Report, formatEntry, generalNotes, summarize } from './report.js';
import type { ConvertedObject, ReportEntry } from './types.js';

describe('report entries', () => {
  test.each<[string, ReportEntry, string]>([
    ['every part', { level: 'dropped', where: 'f.yaml: document 2', object: 'BGPPeer metallb-system/p', field: 'spec.vrf', message: 'no VRFs' }, 'dropped: f.yaml: document 2: BGPPeer metallb-system/p: spec.vrf: no VRFs'],
    ['no field', { level: 'error', where: 'f.yaml', object: 'Pool x', message: 'unknown kind' }, 'error: f.yaml: Pool x: unknown kind'],
    ['about the whole conversion', { level: 'note', message: 'Services need no change' }, 'note: Services need no change'],
  ])('formatEntry: %s', (_what, entry, line) => {
    expect(formatEntry(entry)).toBe(line);
  });

  test('paths nest: fields, list indexes, the object itself', () => {
    const report = new Report();
    const r = report.about({ where: 'cm.yaml', object: 'ConfigMap metallb-system/config' }, 'data.config');
    r.at('peers').at('[0]').error('hold-time', 'bad');
    r.at('peers[1]').note('', 'written as BGPPeer p');
    expect(report.entries.map((e) => e.field)).toEqual(['data.config.peers[0].hold-time', 'data.config.peers[1]']);
    expect(report.failed).toBe(true);
  });

  test.each([
    [0, [], 'headland convert: 0 objects written'],
    [1, [{ level: 'note', message: '' }], 'headland convert: 1 object written; 1 note'],
    [3, [{ level: 'error', message: '' }, { level: 'error', message: '' }, { level: 'changed', message: '' }, { level: 'note', message: '' }, { level: 'note', message: '' }], 'headland convert: 3 objects written; 2 errors, 1 changed, 2 notes'],
  ] as [number, ReportEntry[], string][])('summarize %#', (objects, entries, line) => {
    expect(summarize(objects, entries)).toBe(line);
  });
});

describe('generalNotes', () => {
  const object = (kind: string): ConvertedObject => ({ object: { apiVersion: 'headland.io/v1beta1', kind, metadata: { name: 'x', namespace: 'headland-system' } }, source: { where: '', object: '' } });
  const topics = (kinds: string[], from: string[] = []) => generalNotes(kinds.map(object), new Set(from), 'headland-system').map((n) => n.message.split(':')[0]);

  test.each([
    ['pools only: the annotations', ['IPAddressPool'], [], ['Services need no change']],
    ['the namespaces objects came from, except the one chosen', ['IPAddressPool'], ['metallb-system', 'headland-system', ''], ['objects from namespace (none given) are written to headland-system', 'objects from namespace metallb-system are written to headland-system', 'Services need no change']],
    ['BGP: weighting, the data-plane check, address families, TTL', ['BGPPeer', 'BGPAdvertisement'], [], ['Services need no change', 'BGPAdvertisement', 'advertisements default to dataPlaneCheck', 'BGPPeer', 'BGPPeer']],
    ['L2: the data-plane check and the election', ['L2Advertisement'], [], ['Services need no change', 'advertisements default to dataPlaneCheck', 'L2Advertisement']],
  ])('%s', (_what, kinds, from, expected) => {
    expect(topics(kinds, from)).toEqual(expected);
  });
});
