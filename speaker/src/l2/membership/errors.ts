// Membership's failure types: a refused datagram (counted by reason, never thrown past the
// protocol) and local problems (a short key, bad options, a socket that cannot bind).
export const REJECT = {
  Malformed: 'malformed',
  BadVersion: 'bad-version',
  BadMac: 'bad-mac',
  Stale: 'stale',
  Replayed: 'replayed',
  UnknownSender: 'unknown-sender',
  FromSelf: 'from-self',
  WrongTarget: 'wrong-target',
} as const;
export type RejectReason = (typeof REJECT)[keyof typeof REJECT];

export class MembershipWireError extends Error {
  override readonly name = 'MembershipWireError';
  constructor(
    readonly reason: RejectReason,
    detail: string,
  ) {
    super(`membership: ${reason}: ${detail}`);
  }
}

export class MembershipError extends Error {
  override readonly name = 'MembershipError';
  constructor(message: string, options?: ErrorOptions) {
    super(`membership: ${message}`, options);
  }
}
