// Splits a TCP byte stream into whole BGP messages: it buffers partial reads and checks
// each header (marker, length, type) as soon as it arrives, RFC 4271 §6.1.

import type { WireContext } from './context.js';
import { HEADER_LENGTH, classicContext } from './context.js';
import type { BgpWireError } from './errors.js';
import { decodeHeader } from './message.js';

export class MessageFramer {
  /** Set after the OPEN exchange: extended messages raise the length limit. */
  context: WireContext;
  private buffer = new Uint8Array(4096);
  private start = 0;
  private end = 0;
  private failure: BgpWireError | undefined;

  constructor(context: WireContext = classicContext) {
    this.context = context;
  }

  /** Octets received but not yet part of a whole message. */
  get buffered(): number {
    return this.end - this.start;
  }

  /**
   * Adds received octets and returns every message now complete, each a copy with its
   * header. A bad header throws BgpWireError, and keeps throwing it: the stream is lost.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failure) throw this.failure;
    this.append(chunk);
    const messages: Uint8Array[] = [];
    try {
      while (this.end - this.start >= HEADER_LENGTH) {
        const view = this.buffer.subarray(this.start, this.end);
        const [header] = decodeHeader(view, 0, this.context);
        if (view.length < header.length) break;
        messages.push(view.slice(0, header.length));
        this.start += header.length;
      }
    } catch (error) {
      this.failure = error as BgpWireError;
      throw error;
    }
    return messages;
  }

  private append(chunk: Uint8Array): void {
    const pending = this.end - this.start;
    if (pending + chunk.length > this.buffer.length - this.start) {
      const capacity = Math.max(this.buffer.length, 2 ** Math.ceil(Math.log2(pending + chunk.length)));
      const next = capacity === this.buffer.length ? this.buffer : new Uint8Array(capacity);
      next.set(this.buffer.subarray(this.start, this.end), 0);
      this.buffer = next;
      this.start = 0;
      this.end = pending;
    }
    this.buffer.set(chunk, this.end);
    this.end += chunk.length;
  }
}
