// Connection collision detection, RFC 4271 §6.8: when two connections to one peer both
// reach the OPEN exchange, keep the one opened by the speaker with the higher BGP Identifier.

import { parseIPv4 } from '../wire/ip.js';
import { BgpConfigError } from './config.js';

/** Which connection survives: the one we opened ("outgoing") or the one the peer opened. */
export type CollisionWinner = 'outgoing' | 'incoming';

function identifierValue(id: string, which: string): number {
  const octets = parseIPv4(id);
  if (!octets) throw new BgpConfigError(`collision: ${which} BGP identifier "${id}" is not a dotted quad`);
  return ((octets[0] ?? 0) * 2 ** 24) + ((octets[1] ?? 0) << 16) + ((octets[2] ?? 0) << 8) + (octets[3] ?? 0);
}

/** Compares the identifiers as unsigned 32-bit integers (§6.8). Equal ids cannot collide (§6.2 rejects them for iBGP). */
export function resolveCollision(localId: string, remoteId: string): CollisionWinner {
  return identifierValue(localId, 'local') > identifierValue(remoteId, 'remote') ? 'outgoing' : 'incoming';
}
