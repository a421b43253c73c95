// The kubelet stand-in's error type: every refusal names the module and what was wrong, so a
// Pod it cannot run is logged and reported in its status instead of stopping the node.

export class KubeletError extends Error {
  override readonly name = 'KubeletError';
  constructor(
    /** The file that refused: "kubelet/plan", "kubelet/podman-args"... */
    readonly module: string,
    detail: string,
  ) {
    super(`${module}: ${detail}`);
  }
}
