#!/usr/bin/env node
// The `headland` command: wires subcommands; each lives in commands/ and keeps its logic pure.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { demoCommand } from './commands/demo.js';
import { labCommand } from './commands/lab.js';
import { validateCommand } from './commands/validate.js';

await yargs(hideBin(process.argv))
  .scriptName('headland')
  .command(validateCommand)
  .command(labCommand)
  .command(demoCommand)
  .demandCommand(1, 'name a command (see --help)')
  .strict()
  .help()
  .parseAsync();
