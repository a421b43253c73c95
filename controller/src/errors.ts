// The controller's own failure type for local problems (bad flags, an API call that failed);
// allocation outcomes are values (AllocationError), never exceptions.
export class ControllerError extends Error {
  override readonly name = 'ControllerError';
  constructor(
    readonly where: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${where}: ${message}`, options);
  }
}
