import { parseIP } from '@headland/api';
import { ServiceAllocator } from './allocator.js';
import { Transaction } from './txn.js';

const fresh = (): ServiceAllocator => new ServiceAllocator({ serviceClusterIPRanges: ['198.19.128.0/24'], nodePortRange: { first: 30000, last: 30099 }, random: () => 0 });

describe('one allocator, transaction after transaction', () => {
  const alloc = fresh();
  alloc.nodePorts.allocate(30050);
  let txn = new Transaction(alloc);
  test.each<[string, () => unknown, unknown]>([
    ['a request takes an address at once', () => (txn.allocateIP('IPv4', parseIP('198.19.128.5')), alloc.snapshot()), { ips: { IPv4: ['198.19.128.5'] }, nodePorts: [30050] }],
    ['and a port', () => txn.allocateNextPort(), 30016],
    ['its release of another port waits for commit', () => (txn.releasePortOnCommit(30050), alloc.snapshot().nodePorts), [30016, 30050]],
    ['an unconfigured family is refused', () => txn.allocateIP('IPv6', parseIP('2001:db8::1')), 'IPv6 is not configured on this cluster'],
    ['revert gives back what it took and keeps what it meant to release', () => (txn.revert(), alloc.snapshot()), { ips: { IPv4: [] }, nodePorts: [30050] }],
    ['revert again is a no-op', () => (txn.revert(), txn.state), 'reverted'],
    ['commit after revert is a bug', () => { try { txn.commit(); return 'committed'; } catch (e) { return (e as Error).message; } }, 'service-alloc: commit after revert'],
    ['a finished transaction takes nothing more', () => { try { txn.allocateNextPort(); return 'took'; } catch (e) { return (e as Error).message; } }, 'service-alloc: transaction already reverted'],
    ['the next one takes and releases', () => ((txn = new Transaction(alloc)), txn.allocateNextPort(), txn.releasePortOnCommit(30050), alloc.snapshot().nodePorts), [30016, 30050]],
    ['commit frees the release and keeps what was taken', () => (txn.commit(), alloc.snapshot().nodePorts), [30016]],
    ['revert after commit changes nothing, like Finish() after Commit()', () => (txn.revert(), [txn.state, alloc.snapshot().nodePorts]), ['committed', [30016]]],
  ])('%s', (...[, act, want]) => {
    expect(act()).toEqual(want);
  });
});
