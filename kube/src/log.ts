// Logging for the programs: pino writing one JSON object per line to stdout, with ISO times
// and the program's name on every line.

import { pino, type Logger } from 'pino';
import { ConfigError } from './errors.js';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function parseLogLevel(s: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l === s.toLowerCase());
  if (level === undefined) throw new ConfigError(`log: unknown level ${JSON.stringify(s)} (one of ${LOG_LEVELS.join(', ')})`);
  return level;
}

/** `destination` is for tests; programs log to stdout. */
export function createLogger(opts: { name: string; level?: string; destination?: NodeJS.WritableStream }): Logger {
  if (opts.name.trim() === '') throw new ConfigError('log: a logger needs a name');
  const options = { name: opts.name, level: parseLogLevel(opts.level ?? 'info'), timestamp: pino.stdTimeFunctions.isoTime, base: { name: opts.name } };
  return opts.destination === undefined ? pino(options) : pino(options, opts.destination);
}
