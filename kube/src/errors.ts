// Typed errors of @headland/kube: bad input (a kubeconfig, an address, a resource reference)
// and failed API calls. Every message starts with the module that raised it.

export class KubeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input the caller or the user gave us that cannot work: fix it and start again. */
export class ConfigError extends KubeError {}

/** A non-2xx answer from the API server, with the Status object it sent (if any). */
export class HttpError extends KubeError {
  constructor(
    readonly statusCode: number,
    readonly method: string,
    readonly path: string,
    readonly status: unknown,
    message: string,
  ) {
    super(message);
  }
}
