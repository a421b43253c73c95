import { bfdSpec, peerSpec, type PeerInput } from './bgp.js';
import { Report } from './report.js';

const keys = { holdTime: 'holdTime', keepaliveTime: 'keepaliveTime', peerPort: 'peerPort', ebgpMultiHop: 'ebgpMultiHop' };

function peer(input: PeerInput) {
  const report = new Report();
  const spec = peerSpec(input, report.about({ where: 'f', object: 'p' }), keys);
  return { spec, entries: report.entries.map((e) => `${e.level} ${e.field ?? ''}`) };
}

describe('peerSpec', () => {
  test.each<[string, PeerInput, Record<string, unknown>, string[]]>([
    ['the minimum', { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1' }, { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1' }, []],
    ['peerASN 0 is unset (dynamicASN peers)', { myASN: 64512, peerASN: 0, peerAddress: '192.0.2.1' }, { myASN: 64512, peerAddress: '192.0.2.1' }, []],
    ['port 0 is the default', { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', peerPort: 0 }, { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1' }, ['note peerPort']],
    ['empty strings are unset', { myASN: 1, peerASN: 2, peerAddress: '192.0.2.1', password: '', bfdProfile: '', routerID: '', sourceAddress: '', holdTime: '' }, { myASN: 1, peerASN: 2, peerAddress: '192.0.2.1' }, []],
    ['eBGP multihop carries over', { myASN: 1, peerASN: 2, ebgpMultiHop: true }, { myASN: 1, peerASN: 2, ebgpMultiHop: true }, []],
    ['iBGP multihop carries over, and is reported', { myASN: 1, peerASN: 1, ebgpMultiHop: true }, { myASN: 1, peerASN: 1, ebgpMultiHop: true }, ['changed ebgpMultiHop']],
    ['timers go through bgpTimers', { myASN: 1, peerASN: 2, holdTime: '1m30s', keepaliveTime: '0s' }, { myASN: 1, peerASN: 2, holdTime: '1m30s' }, ['changed keepaliveTime']],
  ])('%s', (_what, input, spec, entries) => {
    const r = peer(input);
    expect(r.spec).toEqual(spec);
    expect(r.entries).toEqual(entries);
  });
});

describe('bfdSpec', () => {
  test.each([
    ['the timers carry over', { receiveInterval: 100, transmitInterval: 200, detectMultiplier: 3, minimumTtl: 254, passiveMode: false }, { receiveInterval: 100, transmitInterval: 200, detectMultiplier: 3, minimumTtl: 254, passiveMode: false }, []],
    ['echo mode on is dropped', { echoMode: true }, {}, ['dropped echoMode']],
    ['echo mode off is listed too: the field does not exist in Headland', { echoMode: false, echoInterval: 50 }, {}, ['dropped echoMode', 'dropped echoInterval']],
  ])('%s', (_what, input, spec, entries) => {
    const report = new Report();
    expect(bfdSpec(input, report.about({ where: 'f', object: 'b' }), { echoInterval: 'echoInterval', echoMode: 'echoMode' })).toEqual(spec);
    expect(report.entries.map((e) => `${e.level} ${e.field ?? ''}`)).toEqual(entries);
  });
});
