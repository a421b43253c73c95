// The vocabulary of BFD (RFC 5880, 5881, 5883): session states with their wire codes, diagnostic
// codes, the UDP ports and TTL rules, and the fixed intervals of the protocol.

/** RFC 5880 §4.1 State field: the index is the wire code. */
export const BfdStates = ['AdminDown', 'Down', 'Init', 'Up'] as const;
export type BfdState = (typeof BfdStates)[number];

/** RFC 5880 §4.1 Diag field (5 bits); 9..31 are reserved and carried as numbers. */
export const BfdDiag = {
  none: 0,
  controlDetectionTimeExpired: 1,
  echoFunctionFailed: 2,
  neighborSignaledSessionDown: 3,
  forwardingPlaneReset: 4,
  pathDown: 5,
  concatenatedPathDown: 6,
  administrativelyDown: 7,
  reverseConcatenatedPathDown: 8,
} as const;

const diagNames: readonly string[] = [
  'No Diagnostic',
  'Control Detection Time Expired',
  'Echo Function Failed',
  'Neighbor Signaled Session Down',
  'Forwarding Plane Reset',
  'Path Down',
  'Concatenated Path Down',
  'Administratively Down',
  'Reverse Concatenated Path Down',
];

/** The RFC's name for a diagnostic code, for logs and status. */
export function bfdDiagName(code: number): string {
  return diagNames[code] ?? `Reserved (${code})`;
}

/** RFC 5881 §4: single-hop Control packets go to this UDP port. */
export const BFD_SINGLE_HOP_PORT = 3784;
/** RFC 5883 §5: multihop Control packets go to this UDP port. */
export const BFD_MULTIHOP_PORT = 4784;
/** RFC 5881 §4: the source port of Control packets is in this range, one per session. */
export const BFD_SOURCE_PORT_MIN = 49152;
export const BFD_SOURCE_PORT_MAX = 65535;
/** RFC 5881 §5: single-hop packets are sent with TTL/Hop Limit 255 and only accepted with it. */
export const BFD_SINGLE_HOP_TTL = 255;
/** RFC 5880 §6.8.3: bfd.DesiredMinTxInterval while the session is not Up (microseconds). */
export const BFD_SLOW_TX_US = 1_000_000;
