#!/usr/bin/env node
// `headland-lab`: builds, enters and removes network-namespace labs, and runs the demo. Root only;
// the commands live in commands/ and drive the lab runner of this package.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { demoCommand } from './commands/demo.js';
import { labCommands } from './commands/lab.js';

let cli = yargs(hideBin(process.argv)).scriptName('headland-lab');
for (const c of labCommands) cli = cli.command(c);
await cli
  .command(demoCommand)
  .demandCommand(1, 'name a command (see --help)')
  .strict()
  .help()
  .parseAsync();
