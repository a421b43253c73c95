import { encodeRestartNote, isRestart } from './restart.js';

const NOW = 1_700_000_000_000;

test.each([
  ['no note', undefined, false, /fresh start/],
  ['a note from 5 s ago', encodeRestartNote(NOW - 5_000), true, /stopped gracefully 5 s ago/],
  ['a note past the restart time', encodeRestartNote(NOW - 121_000), false, /past the 120 s/],
  ['not JSON', 'garbage', false, /not JSON/],
  ['null', 'null', false, /lacks stoppedAt/],
  ['fields missing', '{"stoppedAt": 1}', false, /lacks stoppedAt/],
  ['from the future', encodeRestartNote(NOW + 60_000), false, /future/],
])('%s', (_name, text, restarted, reason) => {
  const verdict = isRestart(text, NOW);
  expect(verdict.restarted).toBe(restarted);
  expect(verdict.reason).toMatch(reason);
});
