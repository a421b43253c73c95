import { buildConfig } from './build.js';
import { bfd, isRejected, issuesOf, snapshot } from './fixtures.js';
import { SEVERITY } from './issues.js';

test('defaults fill every timer', () => {
  const config = buildConfig(snapshot({ bfdProfiles: [bfd('default', {})] }));
  expect(config.bfdProfiles.get('default')).toEqual({
    ref: { kind: 'BFDProfile', namespace: 'headland-system', name: 'default' },
    name: 'default',
    receiveInterval: 300,
    transmitInterval: 300,
    detectMultiplier: 3,
    minimumTtl: 254,
    passiveMode: false,
  });
});

test('values are carried', () => {
  const spec = { receiveInterval: 50, transmitInterval: 60000, detectMultiplier: 255, minimumTtl: 1, passiveMode: true };
  expect(buildConfig(snapshot({ bfdProfiles: [bfd('p', spec)] })).bfdProfiles.get('p')).toMatchObject(spec);
});

test.each<[string, unknown, string]>([
  ['receiveInterval below 10', { receiveInterval: 9 }, 'spec.receiveInterval'],
  ['receiveInterval above 60000', { receiveInterval: 60001 }, 'spec.receiveInterval'],
  ['transmitInterval below 10', { transmitInterval: 5 }, 'spec.transmitInterval'],
  ['detectMultiplier 1', { detectMultiplier: 1 }, 'spec.detectMultiplier'],
  ['detectMultiplier 256', { detectMultiplier: 256 }, 'spec.detectMultiplier'],
  ['minimumTtl 0', { minimumTtl: 0 }, 'spec.minimumTtl'],
  ['minimumTtl 255', { minimumTtl: 255 }, 'spec.minimumTtl'],
  ['a fractional interval', { receiveInterval: 10.5 }, 'spec.receiveInterval'],
  ['passiveMode as a string', { passiveMode: 'yes' }, 'spec.passiveMode'],
  ['an unknown field', { echo: true }, 'spec.echo'],
  ['echoMode true: the echo function is not implemented', { echoMode: true }, 'spec.echoMode'],
  ['echoInterval: nothing to time', { echoInterval: 50 }, 'spec.echoInterval'],
])('rejected: %s', (_name, spec, field) => {
  const config = buildConfig(snapshot({ bfdProfiles: [bfd('p', spec)] }));
  expect(config.bfdProfiles.size).toBe(0);
  expect(isRejected(config, 'BFDProfile', 'p')).toBe(true);
  expect(issuesOf(config, 'BFDProfile', 'p')).toEqual([expect.objectContaining({ field, severity: SEVERITY.Invalid })]);
});

test('echoMode false is accepted (MetalLB writes it)', () => {
  const config = buildConfig(snapshot({ bfdProfiles: [bfd('p', { echoMode: false })] }));
  expect(config.bfdProfiles.has('p')).toBe(true);
});

test('the echo refusal says why', () => {
  const config = buildConfig(snapshot({ bfdProfiles: [bfd('p', { echoMode: true })] }));
  expect(issuesOf(config, 'BFDProfile', 'p')[0]?.message).toMatch(/echo function is not implemented/);
});
