// The two error types of the codec: BgpWireError for anything a peer sent (it maps to a
// NOTIFICATION and an RFC 7606 action), BgpEncodeError for local misuse while encoding.

/** NOTIFICATION error codes, RFC 4271 §4.5 (plus RFC 7313's ROUTE-REFRESH error). */
export const ErrorCode = {
  messageHeader: 1,
  open: 2,
  update: 3,
  holdTimerExpired: 4,
  fsm: 5,
  cease: 6,
  routeRefresh: 7,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** RFC 4271 §6.1. */
export const HeaderSubcode = {
  connectionNotSynchronized: 1,
  badMessageLength: 2,
  badMessageType: 3,
} as const;

/** RFC 4271 §6.2, RFC 5492 (unsupported capability); 0 is "unspecific" in the IANA registry. */
export const OpenSubcode = {
  unspecific: 0,
  unsupportedVersionNumber: 1,
  badPeerAs: 2,
  badBgpIdentifier: 3,
  unsupportedOptionalParameter: 4,
  unacceptableHoldTime: 6,
  unsupportedCapability: 7,
} as const;

/** RFC 4271 §6.3. */
export const UpdateSubcode = {
  malformedAttributeList: 1,
  unrecognizedWellKnownAttribute: 2,
  missingWellKnownAttribute: 3,
  attributeFlagsError: 4,
  attributeLengthError: 5,
  invalidOrigin: 6,
  invalidNextHop: 8,
  optionalAttributeError: 9,
  invalidNetworkField: 10,
  malformedAsPath: 11,
} as const;

/** RFC 4486 (and RFC 8538 hard reset, RFC 9384 BFD down). */
export const CeaseSubcode = {
  maximumPrefixesReached: 1,
  administrativeShutdown: 2,
  peerDeconfigured: 3,
  administrativeReset: 4,
  connectionRejected: 5,
  otherConfigurationChange: 6,
  connectionCollisionResolution: 7,
  outOfResources: 8,
  hardReset: 9,
  bfdDown: 10,
} as const;

/** RFC 7313 §5. */
export const RouteRefreshSubcode = { invalidMessageLength: 1 } as const;

/**
 * What the receiver does about the error, RFC 7606 §2: reset the session, withdraw the
 * UPDATE's routes, drop only the attribute, or stop using the address family.
 */
export type ErrorAction = 'session-reset' | 'treat-as-withdraw' | 'attribute-discard' | 'afisafi-disable';

/** Severity order: a message with several problems is handled by the worst one. */
export const actionSeverity: Readonly<Record<ErrorAction, number>> = {
  'attribute-discard': 0,
  'treat-as-withdraw': 1,
  'afisafi-disable': 2,
  'session-reset': 3,
};

export interface WireErrorFields {
  readonly code: number;
  readonly subcode: number;
  /** The NOTIFICATION data field (RFC 4271 §6 says what goes here per subcode). */
  readonly data?: Uint8Array;
  readonly action?: ErrorAction;
}

/** A problem with bytes a peer sent. The message starts with the codec module's name. */
export class BgpWireError extends Error {
  override readonly name = 'BgpWireError';
  readonly code: number;
  readonly subcode: number;
  readonly data: Uint8Array;
  readonly action: ErrorAction;

  constructor(message: string, fields: WireErrorFields) {
    super(message);
    this.code = fields.code;
    this.subcode = fields.subcode;
    this.data = fields.data ?? new Uint8Array(0);
    this.action = fields.action ?? 'session-reset';
  }

  /** The same error with the NOTIFICATION data filled in, if the thrower could not know it. */
  withData(data: Uint8Array): BgpWireError {
    if (this.data.length > 0) return this;
    return new BgpWireError(this.message, { ...this.fields(), data: data.slice() });
  }

  /** The same error with a different action or code, used where RFC 7606 reclassifies. */
  reclassify(fields: Partial<WireErrorFields>, prefix?: string): BgpWireError {
    const message = prefix === undefined ? this.message : `${prefix}: ${this.message}`;
    return new BgpWireError(message, { ...this.fields(), ...fields });
  }

  private fields(): Required<WireErrorFields> {
    return { code: this.code, subcode: this.subcode, data: this.data, action: this.action };
  }
}

/** Local misuse: a value handed to an encoder that cannot go on the wire. */
export class BgpEncodeError extends Error {
  override readonly name = 'BgpEncodeError';
}

/** Shorthand for the common UPDATE-error case. */
export function updateError(
  message: string,
  subcode: number,
  action: ErrorAction,
  data?: Uint8Array,
): BgpWireError {
  return new BgpWireError(message, { code: ErrorCode.update, subcode, action, ...(data ? { data } : {}) });
}
