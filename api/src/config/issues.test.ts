import { formatIssue, IssueLog, REFERENCE_EFFECT, SEVERITY, type ConfigIssue } from './issues.js';

test.each<[ConfigIssue, string]>([
  [
    { ref: { kind: 'IPAddressPool', namespace: 'headland-system', name: 'p' }, field: 'spec.addresses[1]', message: 'ip: "x" is not a pool entry', severity: SEVERITY.Invalid },
    'IPAddressPool headland-system/p: spec.addresses[1]: ip: "x" is not a pool entry',
  ],
  [
    { ref: { kind: 'BGPPeer', namespace: 'team-a', name: 'r1' }, field: 'spec.bfdProfile', message: 'BFDProfile "x" does not exist', severity: SEVERITY.MissingReference },
    'BGPPeer team-a/r1: spec.bfdProfile: BFDProfile "x" does not exist',
  ],
])('formatIssue', (issue, text) => {
  expect(formatIssue(issue)).toBe(text);
});

test.each<[string, (o: ReturnType<IssueLog['open']>) => void, boolean]>([
  ['no issue', () => {}, false],
  ['invalid', (o) => o.invalid('f', 'm'), true],
  ['missing, held back', (o) => o.missing('f', 'm', REFERENCE_EFFECT.HoldBack), true],
  ['missing, skipped', (o) => o.missing('f', 'm', REFERENCE_EFFECT.Skip), false],
])('rejected when %s: %s', (_name, act, rejected) => {
  const log = new IssueLog();
  const ref = { kind: 'K', namespace: 'n', name: 'x' };
  act(log.open(ref));
  expect(log.rejected.length > 0).toBe(rejected);
});
