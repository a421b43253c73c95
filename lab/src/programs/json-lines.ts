// The log of the lab's stand-in programs (kube-proxy, kubelet): one JSON line per entry on stdout,
// with the time, the program and the node, as Headland's own programs log.

export interface LogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly msg: string;
  readonly [field: string]: unknown;
}

export type Logger = (entry: LogEntry) => void;

export function jsonLines(component: string, node: string): Logger {
  return (entry) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), component, node, ...entry })}\n`);
}
