import { invocation } from './demo.js';

test.each<[string, Record<string, string>, string, { down: string; labCli: string }]>([
  ['npm run demo from the repo', { npm_lifecycle_event: 'demo' }, '/repo', { down: 'npm run demo -- down', labCli: 'node lab/dist/main.js' }],
  ['headland-lab demo from the repo', {}, '/repo', { down: 'headland-lab demo down', labCli: 'node lab/dist/main.js' }],
  ['another npm script', { npm_lifecycle_event: 'test' }, '/repo/lab', { down: 'headland-lab demo down', labCli: 'node dist/main.js' }],
  ['from outside the repo: an absolute path', {}, '/tmp', { down: 'headland-lab demo down', labCli: 'node /repo/lab/dist/main.js' }],
])('%s', (_name, env, cwd, expected) => {
  expect(invocation(env, cwd, '/repo')).toEqual(expected);
});
