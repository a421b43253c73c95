import { explainPodmanError, Podman, PODMAN_GLOBAL, PODMAN_STORAGE, type Exec } from './podman.js';

const MISMATCH = 'Error: database storage graph driver "" does not match our storage graph driver "vfs": database configuration mismatch\n';

test.each<[string, string, RegExp]>([
  ['a database made with another driver', MISMATCH, /database configuration mismatch \(podman's database was made with another storage driver; Headland's tools use --storage-driver vfs: run 'podman system reset'/],
  ['any other error, as podman said it', 'Error: localhost/x:1: image not known\n', /^Error: localhost\/x:1: image not known$/],
])('explainPodmanError: %s', (_name, stderr, want) => {
  expect(explainPodmanError(stderr)).toMatch(want);
});

test('the stand-in names runc and the shared vfs storage', () => {
  expect(PODMAN_STORAGE).toEqual(['--storage-driver', 'vfs']);
  expect(PODMAN_GLOBAL).toEqual(['--runtime', 'runc', '--storage-driver', 'vfs']);
});

describe('Podman.image', () => {
  const answering = (code: number, stdout: string, stderr: string): { exec: Exec; argv: string[][] } => {
    const argv: string[][] = [];
    const exec: Exec = async (a) => {
      argv.push([...a]);
      return { code, stdout, stderr };
    };
    return { exec, argv };
  };

  test('an image podman has: its id and user, asked with the global flags', async () => {
    const { exec, argv } = answering(0, 'sha256:abc 0\n', '');
    expect(await new Podman(PODMAN_GLOBAL, exec).image('localhost/headland:0.1.0')).toEqual({ id: 'sha256:abc', user: '0' });
    expect(argv[0]!.slice(0, 5)).toEqual(['podman', '--runtime', 'runc', '--storage-driver', 'vfs']);
  });

  test('an image podman does not have is undefined (ErrImagePull follows)', async () => {
    const { exec } = answering(125, '', 'Error: localhost/nope: image not known\n');
    expect(await new Podman(PODMAN_GLOBAL, exec).image('localhost/nope')).toBeUndefined();
  });

  test('storage podman cannot open is an error that says why, not a missing image', async () => {
    const { exec } = answering(125, '', MISMATCH);
    await expect(new Podman(PODMAN_GLOBAL, exec).image('localhost/headland:0.1.0')).rejects.toThrow(/podman image inspect: .*another storage driver.*podman system reset/);
  });
});
