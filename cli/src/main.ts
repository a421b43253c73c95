#!/usr/bin/env node
// The `headland` command (also `kubectl headland`): wires subcommands; each lives in commands/
// and keeps its logic pure. An operator's tool: it never depends on the test rig (lab/).
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { validateCommand } from './commands/validate.js';

await yargs(hideBin(process.argv))
  .scriptName('headland')
  .command(validateCommand)
  .demandCommand(1, 'name a command (see --help)')
  .strict()
  .help()
  .parseAsync();
