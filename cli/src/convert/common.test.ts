import { bgpTimers, planAliases, poolAddresses, rewriteCommunities } from './common.js';
import { Report } from './report.js';

function collect() {
  const report = new Report();
  const r = report.about({ where: 'f.yaml', object: 'X x' }, 'spec');
  const entries = () => report.entries.map((e) => `${e.level} ${e.field ?? ''}: ${e.message}`);
  return { r, entries };
}

describe('poolAddresses: entries as MetalLB reads them', () => {
  test.each([
    ['a CIDR', '192.168.10.0/24', '192.168.10.0/24', []],
    ['a CIDR with host bits is its network (Go\'s net.ParseCIDR)', '198.51.100.10/24', '198.51.100.0/24', [/^changed spec.addresses\[0\]: 198.51.100.10\/24 has host bits set; MetalLB reads it as 198.51.100.0\/24/]],
    ['an IPv6 CIDR with host bits', '2001:db8::1/64', '2001:db8::/64', [/^changed/]],
    ['an IPv6 CIDR spelt with leading zeros stays as written', 'fc00:f853:0ccd:e799::/124', 'fc00:f853:0ccd:e799::/124', []],
    ['a range', '192.168.9.1-192.168.9.5', '192.168.9.1-192.168.9.5', []],
    ['a range with spaces beside the dash', '10.0.0.100 - 10.0.0.199', '10.0.0.100-10.0.0.199', []],
    ['a single address is kept for validation to refuse', '192.168.1.5', '192.168.1.5', []],
    ['garbage is kept for validation to name', '300.1.1.1/24', '300.1.1.1/24', []],
  ])('%s', (_what, entry, written, entries) => {
    const { r, entries: got } = collect();
    expect(poolAddresses([entry], r, 'addresses')).toEqual([written]);
    expect(got()).toEqual(entries.map((e) => expect.stringMatching(e)));
  });
});

describe('bgpTimers', () => {
  const keys = { holdTime: 'holdTime', keepaliveTime: 'keepaliveTime' };
  test.each([
    ['neither', undefined, undefined, {}, []],
    ['both as given', '90s', '30s', { holdTime: '90s', keepaliveTime: '30s' }, []],
    ['Go spellings kept', '1m30s', undefined, { holdTime: '1m30s' }, []],
    ['the generator\'s keepaliveTime 0s beside a hold time is "unset"', '1m30s', '0s', { holdTime: '1m30s' }, [/^changed spec.keepaliveTime: 0s left out/]],
    ['a zero keepalive alone is "unset" too', undefined, '0s', {}, [/^changed spec.keepaliveTime: 0s left out/]],
    ['a zero hold time is kept, and said to differ from FRR mode', '0s', '0s', { holdTime: '0s', keepaliveTime: '0s' }, [/^changed spec.holdTime: 0s: Headland reads a zero hold time as no keepalives/]],
    ['fractions of a second are truncated, as MetalLB does', '90.5s', '1500ms', { holdTime: '90s', keepaliveTime: '1s' }, [/^changed spec.holdTime: 90.5s is not whole seconds.*90s is written/, /^changed spec.keepaliveTime: 1500ms is not whole seconds.*1s is written/]],
    ['a bad duration is an error and left out', '90', '30s', { keepaliveTime: '30s' }, [/^error spec.holdTime: duration: "90" is not a duration/]],
  ])('%s', (_what, holdTime, keepaliveTime, expected, entries) => {
    const { r, entries: got } = collect();
    expect(bgpTimers({ holdTime, keepaliveTime }, r, keys)).toEqual(expected);
    expect(got()).toEqual(entries.map((e) => expect.stringMatching(e)));
  });
});

describe('community aliases Headland reads as values', () => {
  test.each([
    ['an ordinary alias is kept', [{ name: 'vpn-only', value: '1234:1' }], [], []],
    ['NO_ADVERTISE is an ordinary name', [{ name: 'NO_ADVERTISE', value: '65535:65282' }], [], []],
    ['a well-known name with its own value: dropped, references unchanged', [{ name: 'no-export', value: '65535:65281' }], ['no-export'], []],
    ['a well-known name with another value: dropped, references rewritten', [{ name: 'no-export', value: '64512:1' }], ['no-export'], [['no-export', '64512:1']]],
    ['a name with a colon: dropped, references rewritten', [{ name: '1:2', value: '64512:2' }], ['1:2'], [['1:2', '64512:2']]],
  ])('%s', (_what, aliases, dropped, rewrites) => {
    const plan = planAliases(aliases);
    expect([...plan.dropped]).toEqual(dropped);
    expect([...plan.rewrites]).toEqual(rewrites);
  });

  test('references to rewritten aliases become values, each said so', () => {
    const { r, entries } = collect();
    const plan = planAliases([{ name: 'blackhole', value: '65000:666' }]);
    expect(rewriteCommunities(['64512:1', 'blackhole', 'no-export'], plan, r, 'communities')).toEqual(['64512:1', '65000:666', 'no-export']);
    expect(entries()).toEqual([expect.stringMatching(/^changed spec.communities\[1\]: alias "blackhole" is written as its value 65000:666/)]);
  });
});
