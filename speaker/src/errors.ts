// The speaker's failure type for local problems (bad flags, a node without an address, an API
// call that failed); what the policy decides is a value (a Verdict), never an exception.
export class SpeakerError extends Error {
  override readonly name = 'SpeakerError';
  constructor(
    readonly where: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${where}: ${message}`, options);
  }
}
