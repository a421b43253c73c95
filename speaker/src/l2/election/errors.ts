// The election's failure type: only for inputs no caller of ours builds (duplicate contests);
// an IP nobody may answer for is an outcome with a reason, not an error.
export class ElectionError extends Error {
  override readonly name = 'ElectionError';
  constructor(message: string) {
    super(`l2 election: ${message}`);
  }
}
