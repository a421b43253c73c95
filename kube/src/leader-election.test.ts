import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from './errors.js';
import { checkElectionTimes, LeaderElector } from './leader-election.js';

test.each([
  [15_000, 10_000, 2_000],
  [3_000, 2_000, 500],
])('lease %i, renew deadline %i, retry %i are accepted', (lease, renew, retry) => {
  expect(() => checkElectionTimes(lease, renew, retry)).not.toThrow();
});

test.each([
  [10_000, 10_000, 2_000, 'leader-election: leaseDurationMs (10000) must be greater than renewDeadlineMs (10000)'],
  [15_000, 2_000, 2_000, 'leader-election: renewDeadlineMs (2000) must be greater than retryPeriodMs (2000)'],
  [0, 10_000, 2_000, 'leader-election: leaseDurationMs must be a positive number, got 0'],
  [15_000, 10_000, Number.NaN, 'leader-election: retryPeriodMs must be a positive number, got NaN'],
])('lease %p, renew deadline %p, retry %p are refused', (lease, renew, retry, message) => {
  expect(() => checkElectionTimes(lease, renew, retry)).toThrow(new ConfigError(message));
});

test.each([
  [{ namespace: 'headland-system', name: 'x', identity: '' }, 'leader-election: identity must not be empty'],
  [{ namespace: 'headland-system', name: 'a/b', identity: 'me' }, 'resource-ref: object name "a/b" is empty or has a slash'],
  [{ namespace: 'headland-system', name: 'x', identity: 'me', leaseDurationMs: 5_000 }, 'leader-election: leaseDurationMs (5000) must be greater than renewDeadlineMs (10000)'],
])('the constructor refuses %j', (opts, message) => {
  expect(() => new LeaderElector(new KubeConfig(), opts)).toThrow(message);
});
