// A whole BGP message: the RFC 4271 §4.1 header, then the body by type. The header checks
// of §6.1 (marker, length, type) and the per-type length limits of RFC 8654 live here.
//
//    0                   1                   2                   3
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                                                               |
//   +                           Marker (16 octets of 0xff)          +
//   |                                                               |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |          Length               |      Type     |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   KEEPALIVE (type 4) is the header alone.

import { HEADER_LENGTH, MARKER_LENGTH, MAX_MESSAGE_LENGTH, maxMessageLength, MessageType, type WireContext } from './context.js';
import { BgpEncodeError, BgpWireError, ErrorCode, HeaderSubcode, RouteRefreshSubcode } from './errors.js';
import { put16, put8, u16, u8 } from './bytes.js';
import { decodeNotificationBody, encodeNotificationBody, notificationBodyEncodingLength, type NotificationMessage } from './notification.js';
import { decodeOpenBody, encodeOpenBody, openBodyEncodingLength, type OpenMessage } from './open.js';
import { decodeRouteRefreshBody, encodeRouteRefreshBody, ROUTE_REFRESH_BODY_LENGTH, type RouteRefreshMessage } from './route-refresh.js';
import { decodeUpdateBody, encodeUpdateBody, updateBodyEncodingLength, UPDATE_MIN_BODY, type DecodedUpdate, type UpdateMessage } from './update.js';

export interface KeepaliveMessage {
  readonly type: 'keepalive';
}

export type BgpMessage = OpenMessage | UpdateMessage | NotificationMessage | KeepaliveMessage | RouteRefreshMessage;
/** What decodeMessage returns: a BgpMessage whose UPDATE also lists its attribute errors. */
export type DecodedMessage = Exclude<BgpMessage, UpdateMessage> | DecodedUpdate;

export interface MessageHeader {
  readonly length: number;
  readonly type: number;
}

const typeCodes: Readonly<Record<BgpMessage['type'], number>> = {
  open: MessageType.open,
  update: MessageType.update,
  notification: MessageType.notification,
  keepalive: MessageType.keepalive,
  'route-refresh': MessageType.routeRefresh,
};

/** RFC 4271 §6.1 (and RFC 8654 §4, RFC 7313 §5): the allowed length of each message type. */
const lengthRules: Readonly<Record<number, { min: number; extendable: boolean }>> = {
  [MessageType.open]: { min: HEADER_LENGTH + 10, extendable: false },
  [MessageType.update]: { min: HEADER_LENGTH + UPDATE_MIN_BODY, extendable: true },
  [MessageType.notification]: { min: HEADER_LENGTH + 2, extendable: true },
  [MessageType.keepalive]: { min: HEADER_LENGTH, extendable: false },
  [MessageType.routeRefresh]: { min: HEADER_LENGTH + ROUTE_REFRESH_BODY_LENGTH, extendable: true },
};

function headerError(message: string, subcode: number, data?: Uint8Array): BgpWireError {
  return new BgpWireError(`message: ${message}`, { code: ErrorCode.messageHeader, subcode, ...(data ? { data } : {}) });
}

/**
 * Reads and checks the header at `offset`. Only the header must be present; the framer
 * uses it to learn how many octets to wait for.
 */
export function decodeHeader(bytes: Uint8Array, offset: number, ctx: WireContext): [MessageHeader, number] {
  if (offset + HEADER_LENGTH > bytes.length) {
    throw headerError(`${bytes.length - offset} octets are too few for a header`, HeaderSubcode.badMessageLength);
  }
  for (let i = 0; i < MARKER_LENGTH; i++) {
    if (u8(bytes, offset + i) !== 0xff) throw headerError(`marker octet ${i} is not 0xff`, HeaderSubcode.connectionNotSynchronized);
  }
  const length = u16(bytes, offset + MARKER_LENGTH);
  const type = u8(bytes, offset + MARKER_LENGTH + 2);
  const lengthField = bytes.slice(offset + MARKER_LENGTH, offset + MARKER_LENGTH + 2);
  if (length < HEADER_LENGTH || length > maxMessageLength(ctx)) {
    throw headerError(`length ${length} outside ${HEADER_LENGTH}..${maxMessageLength(ctx)}`, HeaderSubcode.badMessageLength, lengthField);
  }
  const rule = lengthRules[type];
  if (!rule) throw headerError(`type ${type} unknown`, HeaderSubcode.badMessageType, Uint8Array.of(type));
  const tooLong = !rule.extendable && length > MAX_MESSAGE_LENGTH;
  if (type === MessageType.routeRefresh) {
    if (length !== rule.min) {
      // RFC 7313 §5: the data is the whole message, which may not all be here yet.
      const data = bytes.slice(offset, Math.min(bytes.length, offset + length));
      throw new BgpWireError(`message: ROUTE-REFRESH length ${length}, expected ${rule.min}`, {
        code: ErrorCode.routeRefresh,
        subcode: RouteRefreshSubcode.invalidMessageLength,
        data,
      });
    }
  } else if (length < rule.min || tooLong || (type === MessageType.keepalive && length !== HEADER_LENGTH)) {
    throw headerError(`length ${length} invalid for message type ${type}`, HeaderSubcode.badMessageLength, lengthField);
  }
  return [{ length, type }, offset + HEADER_LENGTH];
}

/** Decodes the message at `offset`: `[message, offset after it]`. Throws only BgpWireError. */
export function decodeMessage(bytes: Uint8Array, offset: number, ctx: WireContext): [DecodedMessage, number] {
  const [header, bodyStart] = decodeHeader(bytes, offset, ctx);
  const end = offset + header.length;
  if (end > bytes.length) {
    throw headerError(`length ${header.length} but only ${bytes.length - offset} octets present`, HeaderSubcode.badMessageLength, bytes.slice(offset + MARKER_LENGTH, offset + MARKER_LENGTH + 2));
  }
  switch (header.type) {
    case MessageType.open:
      return [decodeOpenBody(bytes, bodyStart, end), end];
    case MessageType.update:
      return [decodeUpdateBody(bytes, bodyStart, end, ctx), end];
    case MessageType.notification:
      return [decodeNotificationBody(bytes, bodyStart, end), end];
    case MessageType.keepalive:
      return [{ type: 'keepalive' }, end];
    default:
      return [decodeRouteRefreshBody(bytes, bodyStart), end];
  }
}

function bodyLength(message: BgpMessage, ctx: WireContext): number {
  switch (message.type) {
    case 'open':
      return openBodyEncodingLength(message);
    case 'update':
      return updateBodyEncodingLength(message, ctx);
    case 'notification':
      return notificationBodyEncodingLength(message);
    case 'keepalive':
      return 0;
    case 'route-refresh':
      return ROUTE_REFRESH_BODY_LENGTH;
  }
}

export function messageEncodingLength(message: BgpMessage, ctx: WireContext): number {
  return HEADER_LENGTH + bodyLength(message, ctx);
}

/** Writes the message at `offset`; returns the offset after it. Throws BgpEncodeError on misuse. */
export function encodeMessage(message: BgpMessage, buf: Uint8Array, offset: number, ctx: WireContext): number {
  const length = messageEncodingLength(message, ctx);
  const typeCode = typeCodes[message.type];
  const rule = lengthRules[typeCode];
  const limit = rule?.extendable ? maxMessageLength(ctx) : MAX_MESSAGE_LENGTH;
  if (length > limit) throw new BgpEncodeError(`message: ${message.type} of ${length} octets exceeds ${limit}`);
  if (offset < 0 || offset + length > buf.length) throw new RangeError(`message: ${length} octets do not fit at ${offset}`);
  buf.fill(0xff, offset, offset + MARKER_LENGTH);
  let at = put16(buf, offset + MARKER_LENGTH, length);
  at = put8(buf, at, typeCode);
  let end: number;
  switch (message.type) {
    case 'open':
      end = encodeOpenBody(message, buf, at);
      break;
    case 'update':
      end = encodeUpdateBody(message, buf, at, ctx);
      break;
    case 'notification':
      end = encodeNotificationBody(message, buf, at);
      break;
    case 'keepalive':
      end = at;
      break;
    case 'route-refresh':
      end = encodeRouteRefreshBody(message, buf, at);
      break;
  }
  if (end !== offset + length) throw new BgpEncodeError(`message: ${message.type} wrote ${end - offset} octets, announced ${length}`);
  return end;
}

/** Encodes one message into a new buffer. */
export function serializeMessage(message: BgpMessage, ctx: WireContext): Uint8Array {
  const buf = new Uint8Array(messageEncodingLength(message, ctx));
  encodeMessage(message, buf, 0, ctx);
  return buf;
}
