import yargs from 'yargs';
import { execCommand, formatDown, labCommands } from './lab.js';

/** Parses argv with the real command definition, capturing the args instead of acting. */
async function parse(argv: string[]): Promise<Record<string, unknown>> {
  let seen: Record<string, unknown> = {};
  let y = yargs(argv);
  for (const c of labCommands) y = y.command({ ...c, handler: (a) => void (seen = a as unknown as Record<string, unknown>) });
  await y
    .demandCommand(1)
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new Error(msg);
    })
    .parseAsync();
  return seen;
}

describe('headland-lab', () => {
  test.each([
    [['exec', 'frr-tor', 'tor', '--', 'vtysh', '-c', 'show bgp summary'], ['vtysh', '-c', 'show bgp summary']],
    [['exec', 'frr-tor', 'node1/pod-a', '--', 'ip', '-j', 'route'], ['ip', '-j', 'route']],
    [['exec', 'frr-tor', 'client', 'ping', '-c1', '198.18.0.11'], ['ping', '-c1', '198.18.0.11']],
  ])('exec %j runs %j', async (argv, cmd) => {
    const args = await parse(argv);
    expect(args['target']).toBe(argv[1]);
    expect(args['node']).toBe(argv[2]);
    expect(execCommand(args as { _: string[] })).toEqual(cmd);
  });

  test('down --all parses without a name', async () => {
    const args = await parse(['down', '--all']);
    expect(args['all']).toBe(true);
    expect(args['target']).toBeUndefined();
  });

  test('an unknown command is refused by the parser', async () => {
    await expect(parse(['sideways', 'x'])).rejects.toThrow(/sideways/);
  });

  test('down reports say what was removed and what was not', () => {
    const base = { killed: [1, 2], namespaces: ['a', 'b', 'c'], links: ['l'], dirs: [] };
    expect(formatDown([{ lab: 'frr-tor', ...base, problems: [] }])).toEqual(['lab frr-tor: removed 3 namespaces, 1 root links, 2 processes']);
    expect(formatDown([{ lab: 'x', ...base, problems: ['link hlabcde-m0: busy'] }])[0]).toMatch(/NOT removed: link hlabcde-m0: busy$/);
    expect(formatDown([])).toEqual(['no lab leftovers found']);
  });
});
