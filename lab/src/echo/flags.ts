// Flags of the echo pod program, parsed without side effects so tests can check every refusal.

import { parseArgs } from 'node:util';
import { EchoError } from './reply.js';

export interface EchoFlags {
  readonly name: string;
  readonly port: number;
  readonly host?: string;
  readonly udp: boolean;
}

export function parseEchoFlags(argv: readonly string[]): EchoFlags {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], strict: true, allowPositionals: false, options: { name: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, 'no-udp': { type: 'boolean' } } }));
  } catch (err) {
    throw new EchoError('echo/flags', (err as Error).message);
  }
  const name = values['name'];
  if (typeof name !== 'string' || name === '') throw new EchoError('echo/flags', '--name is required');
  const portText = values['port'] ?? '8080';
  if (typeof portText !== 'string' || !/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new EchoError('echo/flags', `--port "${String(portText)}" is not 0-65535`);
  const host = values['host'];
  return { name, port: Number(portText), ...(typeof host === 'string' ? { host } : {}), udp: values['no-udp'] !== true };
}
