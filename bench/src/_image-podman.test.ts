// The image benchmark's podman command lines and median.
import { RUN_FLAGS, hardLimits, median, podmanRun, ulimitFlags } from './_image-podman.js';

const limits = [
  'Limit                     Soft Limit           Hard Limit           Units     ',
  'Max processes             96367                96367                processes ',
  'Max open files            1024                 20000                files     ',
].join('\n');

test('hard limits from /proc/self/limits', () => {
  expect(hardLimits(limits)).toEqual({ nofile: 20000, nproc: 96367 });
  expect(hardLimits(limits.replace('96367                processes', 'unlimited            processes'))).toEqual({ nofile: 20000, nproc: 'unlimited' });
  expect(() => hardLimits('Limit Soft Hard\n')).toThrow(/Max open files|Max processes/);
});

test.each<[number | 'unlimited', number | 'unlimited', string | undefined, string[]]>([
  [20000, 96367, undefined, ['--ulimit', 'nofile=16384:16384', '--ulimit', 'nproc=16384:16384']],
  [1024, 'unlimited', undefined, ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=16384:16384']],
  [20000, 96367, '', []],
  [20000, 96367, ' --ulimit nofile=4096:4096 ', ['--ulimit', 'nofile=4096:4096']],
])('ulimitFlags(%j, %j, %j)', (nofile, nproc, override, want) => {
  expect(ulimitFlags(nofile, nproc, override)).toEqual(want);
});

test('the issue command line, then mounts, entrypoint, image and arguments', () => {
  expect(podmanRun('localhost/headland:0.1.0', ['headland', 'validate', '-f', '/in/a.yaml'], { ulimits: ['--ulimit', 'nofile=1:1'], volumes: ['/tmp/a.yaml:/in/a.yaml:ro'] })).toEqual([
    'podman', '--storage-driver', 'vfs', 'run',
    '--rm', '--runtime', 'runc', '--read-only', '--network', 'none', '--cap-drop', 'ALL', '--cap-add', 'NET_RAW,NET_ADMIN,NET_BIND_SERVICE',
    '--ulimit', 'nofile=1:1', '-v', '/tmp/a.yaml:/in/a.yaml:ro', 'localhost/headland:0.1.0', 'headland', 'validate', '-f', '/in/a.yaml',
  ]);
  expect(podmanRun('i', ['-e', '0'], { ulimits: [], entrypoint: '/usr/bin/node' }).slice(-5)).toEqual(['--entrypoint', '/usr/bin/node', 'i', '-e', '0']);
  expect(RUN_FLAGS).toContain('--read-only');
  const create = podmanRun('i', ['x'], { ulimits: [], create: true });
  expect(create.slice(0, 4)).toEqual(['podman', '--storage-driver', 'vfs', 'create']);
  expect(create).not.toContain('--rm');
  expect(create).toContain('--read-only');
});

test.each<[number[], number]>([
  [[5], 5],
  [[3, 1, 2], 2],
  [[4, 1, 3, 2], 2.5],
  [[900, 100, 500, 700, 300], 500],
])('median(%j) = %d', (samples, want) => {
  expect(median(samples)).toBe(want);
});

test('median of nothing throws', () => {
  expect(() => median([])).toThrow(/no samples/);
});
