#!/usr/bin/env node
// The `headland` command (also `kubectl headland`): wires subcommands; each lives in commands/
// and keeps its logic pure. An operator's tool: it never depends on the test rig (lab/).
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { convertCommand } from './commands/convert.js';
import { validateCommand } from './commands/validate.js';
import { statusCommand } from './commands/status.js';
import { explainCommand } from './commands/explain.js';

await yargs(hideBin(process.argv))
  .scriptName('headland')
  .command(validateCommand)
  .command(convertCommand)
  .command(statusCommand)
  .command(explainCommand)
  .demandCommand(1, 'name a command (see --help)')
  .strict()
  .help()
  .parseAsync();
