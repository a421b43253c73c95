// The responders' error for bad input from their caller (an IP that is not one, a closed
// responder, bad options); wire damage in received frames is counted, never thrown.

export class L2ResponderError extends Error {
  override name = 'L2ResponderError';
  constructor(module: string, detail: string) {
    super(`${module}: ${detail}`);
  }
}
