import { SpeakerMetrics } from './metrics.js';

test('per-session figures are read at scrape time, and removed sessions disappear', async () => {
  const m = new SpeakerMetrics();
  let sessions = [
    { peer: 'tor', address: '198.18.0.1', up: true, prefixesAnnounced: 3, updatesSent: 7 },
    { peer: 'spine', address: '198.18.0.2', up: false, prefixesAnnounced: 0, updatesSent: 0 },
  ];
  m.sessions = () => sessions;
  const text = await m.registry.metrics();
  expect(text).toContain('headland_speaker_bgp_session_up{peer="tor",address="198.18.0.1"} 1');
  expect(text).toContain('headland_speaker_bgp_session_up{peer="spine",address="198.18.0.2"} 0');
  expect(text).toContain('headland_speaker_bgp_prefixes_announced{peer="tor",address="198.18.0.1"} 3');
  expect(text).toContain('headland_speaker_bgp_updates_sent{peer="tor",address="198.18.0.1"} 7');
  sessions = [sessions[0]!];
  const after = await m.registry.metrics();
  expect(after).not.toContain('peer="spine"');
});

test('two instances do not collide (own registries)', () => {
  expect(() => [new SpeakerMetrics(), new SpeakerMetrics()]).not.toThrow();
});

test('L2 figures are read at scrape time, dropped frames by reason, and 0 while L2 mode is off', async () => {
  const m = new SpeakerMetrics();
  expect(await m.registry.metrics()).toContain('headland_speaker_l2_owned_ips 0');
  m.l2 = () => ({ ownedIPs: 3, unownedIPs: 1, ownershipChanges: 5, aliveMembers: 2, responder: { requestsReceived: 11, repliesSent: 7, gratuitousSent: 9, dropped: { truncated: 2, 'not-ours': 4 } } });
  const text = await m.registry.metrics();
  expect(text).toContain('headland_speaker_l2_owned_ips 3');
  expect(text).toContain('headland_speaker_l2_unowned_ips 1');
  expect(text).toContain('headland_speaker_l2_ownership_changes_total 5');
  expect(text).toContain('headland_speaker_l2_alive_members 2');
  expect(text).toContain('headland_speaker_l2_requests_received_total 11');
  expect(text).toContain('headland_speaker_l2_replies_sent_total 7');
  expect(text).toContain('headland_speaker_l2_gratuitous_sent_total 9');
  expect(text).toContain('headland_speaker_l2_frames_dropped_total{reason="truncated"} 2');
  expect(text).toContain('headland_speaker_l2_frames_dropped_total{reason="not-ours"} 4');
});

test('ready follows what main.ts hands it, 0 until then', async () => {
  const m = new SpeakerMetrics();
  expect(await m.registry.metrics()).toContain('headland_speaker_ready 0');
  let ready = false;
  m.ready = () => ready;
  expect(await m.registry.metrics()).toContain('headland_speaker_ready 0');
  ready = true;
  expect(await m.registry.metrics()).toContain('headland_speaker_ready 1');
});
