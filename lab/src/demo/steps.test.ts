import { StepFailed, stepRunner } from './steps.js';

function harness(cancelled = false) {
  let out = '';
  let t = 1_000;
  const steps = stepRunner((s) => (out += s), { now: () => t, cancelled: () => cancelled });
  return { steps, out: () => out, advance: (ms: number) => (t += ms) };
}

test('a step prints its title, then "done" and how long it took, and returns its value', async () => {
  const h = harness();
  const v = await h.steps.run('starting the thing', async () => {
    expect(h.out()).toBe('- starting the thing ... ');
    h.advance(1_240);
    return 7;
  });
  expect(v).toBe(7);
  expect(h.out()).toBe('- starting the thing ... done, 1.2 s\n');
});

test('a step can say what it found instead of "done"', async () => {
  const h = harness();
  await h.steps.run('assigning IPs', async () => ['203.0.113.240'], (ips) => ips.join(', '));
  expect(h.out()).toBe('- assigning IPs ... 203.0.113.240, 0.0 s\n');
});

test('a failed step prints FAILED and throws a StepFailed naming the step and the cause', async () => {
  const h = harness();
  const cause = new Error('speaker-node3: no ready line');
  const err = await h.steps.run('starting headland-speaker', async () => {
    h.advance(500);
    throw cause;
  }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(StepFailed);
  expect((err as StepFailed).step).toBe('starting headland-speaker');
  expect((err as StepFailed).cause).toBe(cause);
  expect((err as StepFailed).message).toBe('demo/steps: step "starting headland-speaker" failed: speaker-node3: no ready line');
  expect(h.out()).toBe('- starting headland-speaker ... FAILED after 0.5 s\n');
});

test('once cancelled (Ctrl-C), the next step does not start', async () => {
  const h = harness(true);
  let ran = false;
  const err = await h.steps.run('building the lab', async () => {
    ran = true;
  }).catch((e: unknown) => e);
  expect(ran).toBe(false);
  expect(err).toBeInstanceOf(StepFailed);
  expect((err as StepFailed).message).toMatch(/interrupted before this step/);
  expect(h.out()).toBe('');
});
