// NOTIFICATION message body, RFC 4271 §4.5, and the one function that turns a
// BgpWireError into the NOTIFICATION to send.
//
//   +---------------+---------------+---------------------------------+
//   | Error code    | Error subcode |   Data (variable)               |
//   +---------------+---------------+---------------------------------+

import { BgpEncodeError, type BgpWireError } from './errors.js';
import { isUint, put8, putBytes, u8 } from './bytes.js';

export interface NotificationMessage {
  readonly type: 'notification';
  readonly code: number;
  readonly subcode: number;
  readonly data: Uint8Array;
}

export function decodeNotificationBody(bytes: Uint8Array, start: number, end: number): NotificationMessage {
  return { type: 'notification', code: u8(bytes, start), subcode: u8(bytes, start + 1), data: bytes.slice(start + 2, end) };
}

export function notificationBodyEncodingLength(message: NotificationMessage): number {
  return 2 + message.data.length;
}

export function encodeNotificationBody(message: NotificationMessage, buf: Uint8Array, offset: number): number {
  if (!isUint(message.code, 8) || !isUint(message.subcode, 8)) {
    throw new BgpEncodeError(`notification: code ${message.code}/${message.subcode} out of range`);
  }
  return putBytes(buf, put8(buf, put8(buf, offset, message.code), message.subcode), message.data);
}

/** The NOTIFICATION that reports a wire error to the peer. */
export function notificationFor(error: BgpWireError): NotificationMessage {
  return { type: 'notification', code: error.code, subcode: error.subcode, data: error.data.slice() };
}
