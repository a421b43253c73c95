import { startProgram } from './program.js';

// 'exit' can come before the last lines are read. Here the lines come from a process the program
// left behind, which writes to the same pipe 200 ms after the program exited: `exited` waits for
// the pipe to close.
test('exited resolves only once the output is read to its end', async () => {
  const p = startProgram(['sh', '-c', `echo '{"msg":"first"}'; (sleep 0.2; echo '{"msg":"last"}') & exit 0`], { name: 'writer' });
  expect(await p.exited).toBe(0);
  expect(p.logs.map((l) => l['msg'])).toEqual(['first', 'last']);
});

test('a pipe held open for long does not hold exited past 2 s after the exit', async () => {
  const p = startProgram(['sh', '-c', `echo '{"msg":"first"}'; (sleep 5 >/dev/null; echo late) & exit 3`], { name: 'holder' });
  expect(await p.exited).toBe(3);
  expect(p.logs.map((l) => l['msg'])).toEqual(['first']);
  p.proc.stdout?.destroy();
  p.proc.stderr?.destroy();
});
