// The one line an echo pod answers with, written and read in one place so the traffic helper
// and the pods agree: {"pod": NAME, "client": "IP:PORT", "local": "IP:PORT"}.

export class EchoError extends Error {
  override readonly name = 'EchoError';
  constructor(
    readonly module: string,
    detail: string,
  ) {
    super(`${module}: ${detail}`);
  }
}

export interface EchoReply {
  readonly pod: string;
  /** The peer as the pod saw it, "IP:PORT" ("[IPv6]:PORT" for IPv6). */
  readonly client: string;
  readonly local: string;
}

/** "IP:PORT", bracketing IPv6 and unwrapping IPv4-mapped IPv6 (what a dual-stack socket reports). */
export function formatEndpoint(address: string, port: number): string {
  const plain = address.toLowerCase().startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  return plain.includes(':') ? `[${plain}]:${port}` : `${plain}:${port}`;
}

/** The address part of "IP:PORT" or "[IPv6]:PORT". */
export function hostOf(endpoint: string): string {
  const v6 = /^\[([^\]]+)\]:\d+$/.exec(endpoint);
  if (v6 !== null) return v6[1]!;
  const v4 = /^([^:]+):\d+$/.exec(endpoint);
  if (v4 !== null) return v4[1]!;
  throw new EchoError('echo/reply', `"${endpoint}" is not IP:PORT or [IPv6]:PORT`);
}

export function formatReply(reply: EchoReply): string {
  return `${JSON.stringify({ pod: reply.pod, client: reply.client, local: reply.local })}\n`;
}

export function parseReply(line: string): EchoReply {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new EchoError('echo/reply', `reply is not JSON: ${JSON.stringify(line.slice(0, 120))}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EchoError('echo/reply', `reply is not an object: ${JSON.stringify(line.slice(0, 120))}`);
  const obj = value as Record<string, unknown>;
  for (const field of ['pod', 'client', 'local'] as const) {
    if (typeof obj[field] !== 'string' || obj[field] === '') throw new EchoError('echo/reply', `reply field "${field}" must be a non-empty string, got ${JSON.stringify(obj[field])}`);
  }
  hostOf(obj['client'] as string);
  hostOf(obj['local'] as string);
  return { pod: obj['pod'] as string, client: obj['client'] as string, local: obj['local'] as string };
}
