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
