// Command-line flags of headland-controller, parsed without side effects so every bad flag is
// a ControllerError naming it (main prints it and exits 2).
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { parseDuration } from '@headland/api';
import { ControllerError } from './errors.js';

export interface ControllerFlags {
  readonly kubeconfig: string | undefined;
  readonly namespace: string;
  readonly lbClass: string | undefined;
  readonly metricsAddr: string;
  readonly healthAddr: string;
  /** Where the validating webhook listens (HTTPS). */
  readonly webhookAddr: string;
  /** How long the webhook keeps answering after SIGTERM made the replica unready. */
  readonly webhookDrainMs: number;
  readonly leaseName: string;
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly workers: number;
  readonly logLevel: string;
}

export const USAGE =
  'usage: headland-controller [--kubeconfig PATH] [--namespace headland-system] [--lb-class NAME] [--metrics-addr :7472] [--health-addr :7473] ' +
  '[--webhook-addr :9443] [--webhook-drain 5s] [--lease-name headland-controller] [--identity ID] [--lease-duration 15s] [--renew-deadline 10s] [--retry-period 2s] [--workers 32] [--log-level info]';

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function parseControllerFlags(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ControllerFlags {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        kubeconfig: { type: 'string' },
        namespace: { type: 'string' },
        'lb-class': { type: 'string' },
        'metrics-addr': { type: 'string' },
        'health-addr': { type: 'string' },
        'webhook-addr': { type: 'string' },
        'webhook-drain': { type: 'string' },
        'lease-name': { type: 'string' },
        identity: { type: 'string' },
        'lease-duration': { type: 'string' },
        'renew-deadline': { type: 'string' },
        'retry-period': { type: 'string' },
        workers: { type: 'string' },
        'log-level': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new ControllerError('controller/flags', `${(err as Error).message}; ${USAGE}`);
  }
  const text = (name: string): string | undefined => {
    const v = values[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') throw new ControllerError('controller/flags', `--${name} needs a value; ${USAGE}`);
    return v;
  };
  const namespace = text('namespace') ?? 'headland-system';
  if (!NAME.test(namespace)) throw new ControllerError('controller/flags', `--namespace "${namespace}" is not a valid namespace name`);
  const leaseName = text('lease-name') ?? 'headland-controller';
  if (!NAME.test(leaseName)) throw new ControllerError('controller/flags', `--lease-name "${leaseName}" is not a valid object name`);
  const lbClass = text('lb-class');
  const leaseDurationMs = duration('lease-duration', text('lease-duration') ?? '15s');
  const renewDeadlineMs = duration('renew-deadline', text('renew-deadline') ?? '10s');
  const retryPeriodMs = duration('retry-period', text('retry-period') ?? '2s');
  // client-go's rules: a leader must give up before another may take over, and retry often
  // enough to renew within the deadline.
  if (renewDeadlineMs >= leaseDurationMs) throw new ControllerError('controller/flags', `--renew-deadline must be shorter than --lease-duration`);
  if (retryPeriodMs >= renewDeadlineMs) throw new ControllerError('controller/flags', `--retry-period must be shorter than --renew-deadline`);
  const workersText = text('workers') ?? '32';
  const workers = Number(workersText);
  if (!/^\d+$/.test(workersText) || workers < 1 || workers > 256) throw new ControllerError('controller/flags', `--workers "${workersText}" is not a whole number from 1 to 256`);
  const webhookDrainText = text('webhook-drain') ?? '5s';
  // 0 is allowed (tests); more than a minute would outlast any terminationGracePeriodSeconds.
  const webhookDrainMs = webhookDrainText === '0' ? 0 : duration('webhook-drain', webhookDrainText);
  if (webhookDrainMs > 60_000) throw new ControllerError('controller/flags', `--webhook-drain "${webhookDrainText}" must be at most 1m`);
  const logLevel = text('log-level') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) throw new ControllerError('controller/flags', `--log-level "${logLevel}" is not one of fatal, error, warn, info, debug, trace, silent`);
  return {
    kubeconfig: text('kubeconfig') ?? env['KUBECONFIG'],
    namespace,
    lbClass,
    metricsAddr: text('metrics-addr') ?? ':7472',
    healthAddr: text('health-addr') ?? ':7473',
    webhookAddr: text('webhook-addr') ?? ':9443',
    webhookDrainMs,
    leaseName,
    identity: text('identity') ?? env['POD_NAME'] ?? `${hostname()}_${process.pid}`,
    leaseDurationMs,
    renewDeadlineMs,
    retryPeriodMs,
    workers,
    logLevel,
  };
}

/** A Go duration ("15s", "500ms", "1m30s"), as Kubernetes flags take them, in milliseconds. */
function duration(flag: string, value: string): number {
  let ns: bigint;
  try {
    ns = parseDuration(value);
  } catch (err) {
    throw new ControllerError('controller/flags', `--${flag}: ${(err as Error).message}`);
  }
  const ms = Number(ns / 1_000_000n);
  if (ms < 100 || ms > 3_600_000) throw new ControllerError('controller/flags', `--${flag} "${value}" must be between 100ms and 1h`);
  return ms;
}
