// The lab's error types: one per concern, each message starting with the module that refused.
// Callers (tests, the CLI) match on the class and show the message as it is.

/** Base of every lab error; `module` is the file that raised it ("lab/parse", "lab/build"...). */
export class LabError extends Error {
  override readonly name: string = 'LabError';
  constructor(
    readonly module: string,
    detail: string,
  ) {
    super(`${module}: ${detail}`);
  }
}

/** The topology file is malformed; `where` names the node, link or field. */
export class TopologyError extends LabError {
  override readonly name = 'TopologyError';
  constructor(
    readonly where: string,
    problem: string,
  ) {
    super('lab/parse', `${where}: ${problem}`);
  }
}

/** A command run for the lab failed (non-zero exit, missing binary, timeout). */
export class CommandError extends LabError {
  override readonly name = 'CommandError';
  constructor(
    readonly argv: readonly string[],
    readonly code: number | null,
    readonly stderr: string,
    why: string,
  ) {
    super('lab/sh', `${argv.join(' ')}: ${why}${stderr.trim() === '' ? '' : `: ${stderr.trim().slice(0, 600)}`}`);
  }
}

/** waitFor gave up; carries the last value it saw so the failure says what the lab looked like. */
export class WaitTimeoutError extends LabError {
  override readonly name = 'WaitTimeoutError';
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly lastSeen: unknown,
  ) {
    super('lab/wait', `timed out after ${timeoutMs} ms waiting for ${what}; last saw ${describe(lastSeen)}`);
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return `error ${value.message}`;
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 2000 ? `${text.slice(0, 2000)}...` : text;
  } catch {
    return String(value);
  }
}
