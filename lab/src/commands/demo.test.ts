import { invocation } from './demo.js';

test.each<[string, Record<string, string>, string, { down: string; cli: string }]>([
  ['npm run demo from the repo', { npm_lifecycle_event: 'demo' }, '/repo', { down: 'npm run demo -- down', cli: 'node cli/dist/main.js' }],
  ['headland demo from the repo', {}, '/repo', { down: 'headland demo down', cli: 'node cli/dist/main.js' }],
  ['another npm script', { npm_lifecycle_event: 'test' }, '/repo/cli', { down: 'headland demo down', cli: 'node dist/main.js' }],
  ['from outside the repo: an absolute path', {}, '/tmp', { down: 'headland demo down', cli: 'node /repo/cli/dist/main.js' }],
])('%s', (_name, env, cwd, expected) => {
  expect(invocation(env, cwd, '/repo')).toEqual(expected);
});
