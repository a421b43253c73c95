// The addon's error types: bad arguments, a failed syscall (option, fd, errno), a platform
// without the addon, and an addon that was never built. Messages start with the module name.

export class NativeError extends Error {
  override name = 'NativeError';
}

/** An argument the wrapper refused before any syscall. */
export class NativeArgumentError extends NativeError {
  override name = 'NativeArgumentError';
}

/** A syscall the kernel refused: which one, for which option, on which fd, and why. */
export class NativeSyscallError extends NativeError {
  override name = 'NativeSyscallError';
  constructor(
    module: string,
    readonly syscall: string,
    readonly option: string,
    readonly fd: number,
    readonly errno: number,
    readonly code: string,
    reason: string,
  ) {
    super(`${module}: ${syscall} ${option} on fd ${fd} failed: ${reason} (${code})`);
  }
}

export class NativeUnsupportedError extends NativeError {
  override name = 'NativeUnsupportedError';
  constructor(readonly platform: string) {
    super(`native: not supported on ${platform} (TCP MD5, TTL and AF_PACKET need Linux)`);
  }
}

/** The compiled addon is missing or does not load (not built, or built for another Node). */
export class NativeLoadError extends NativeError {
  override name = 'NativeLoadError';
}
