import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpeakerLab, speakerArgv, speakerLineSink } from './speaker-lab.js';

const nodes = { node1: ['198.18.0.11', 'fd00::11'] };

describe('speakerArgv', () => {
  test('the suites\' speaker: info level, every node address, the restart note', () => {
    const argv = speakerArgv({ nodes }, 'node1', '/k/kubeconfig', '/d/node1.restart');
    expect(argv.slice(2)).toEqual(['--kubeconfig', '/k/kubeconfig', '--node-name', 'node1', '--node-ip', '198.18.0.11', '--node-ip', 'fd00::11',
      '--metrics-addr', '127.0.0.1:0', '--health-addr', '127.0.0.1:0', '--log-level', 'info', '--restart-state-file', '/d/node1.restart']);
    expect(argv[1]).toMatch(/speaker\/dist\/main\.js$/);
  });

  test('speakerLogLevel sets --log-level', () => {
    const argv = speakerArgv({ nodes, speakerLogLevel: 'debug' }, 'node1', '/k', '/r');
    expect(argv[argv.indexOf('--log-level') + 1]).toBe('debug');
  });

  test('speakerMetricsAddr sets --metrics-addr (":0": the host scrapes it on the mgmt address)', () => {
    const argv = speakerArgv({ nodes, speakerMetricsAddr: ':0' }, 'node1', '/k', '/r');
    expect(argv[argv.indexOf('--metrics-addr') + 1]).toBe(':0');
    expect(argv.filter((a) => a === '--metrics-addr')).toHaveLength(1);
  });
});

describe('speakerLineSink', () => {
  test('nothing to do: no onLine at all', () => {
    expect(speakerLineSink('node1', undefined, undefined)).toBeUndefined();
  });

  test('each line to the log file and to the hook, with the node', () => {
    const dir = mkdtempSync(join(tmpdir(), 'speaker-lab-test-'));
    try {
      const seen: [string, string][] = [];
      const sink = speakerLineSink('node2', dir, (node, line) => seen.push([node, line]))!;
      sink('{"msg":"a"}');
      sink('plain');
      expect(readFileSync(join(dir, 'speaker-node2.log'), 'utf8')).toBe('{"msg":"a"}\nplain\n');
      expect(seen).toEqual([['node2', '{"msg":"a"}'], ['node2', 'plain']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the hook alone writes no file', () => {
    const seen: string[] = [];
    speakerLineSink('node1', undefined, (_, line) => seen.push(line))!('x');
    expect(seen).toEqual(['x']);
  });
});

test('without the kube-proxy stand-in, asking for the data plane fails at once', async () => {
  const bench = new SpeakerLab({ topology: '/none', lab: 'none', nodes, pods: {}, config: '', kubeProxy: false });
  await expect(bench.dataPlaneSettled()).rejects.toThrow(/kubeProxy: false/);
  await expect(bench.dataPlaneLag()).rejects.toThrow(/kubeProxy: false/);
});
