import { encodeRestartState, restartVerdict } from './restart-state.js';

const NOW = 1_700_000_000_000;
const state = (stoppedAt: number, restartTime = 120) => encodeRestartState({ stoppedAt, restartTime, retainedBy: ['198.18.0.2'] });

test.each<[string, string | undefined, boolean, RegExp]>([
  ['no file', undefined, false, /^no restart state/],
  ['stopped 2 s ago, 120 s promised', state(NOW - 2_000), true, /^graceful restart: stopped 2000 ms ago/],
  ['stopped exactly at the restart time', state(NOW - 120_000), true, /^graceful restart/],
  ['stopped after the restart time ran out', state(NOW - 120_001), false, /past the 120 s restart time/],
  ['restart time 0 (nobody kept anything)', state(NOW - 1, 0), false, /past the 0 s restart time/],
  ['a clock that went backwards', state(NOW + 5_000), false, /in the future/],
  ['not JSON', '{', false, /^restart-state: file is not JSON/],
  ['JSON without the fields', '{"stoppedAt":"yesterday"}', false, /^restart-state: file lacks stoppedAt\/restartTime/],
  ['JSON null', 'null', false, /^restart-state: file lacks/],
])('%s', (_name, text, restarted, reason) => {
  const verdict = restartVerdict(text, NOW);
  expect(verdict.restarted).toBe(restarted);
  expect(verdict.reason).toMatch(reason);
});

test.each([
  [{ stoppedAt: NaN, restartTime: 1, retainedBy: [] }],
  [{ stoppedAt: NOW, restartTime: 4096, retainedBy: [] }],
  [{ stoppedAt: NOW, restartTime: -1, retainedBy: [] }],
])('encodeRestartState refuses %j', (bad) => {
  expect(() => encodeRestartState(bad)).toThrow(/^restart-state: /);
});
