// The kube-proxy stand-in's error type: every refusal names the module and what was wrong,
// so a bad Service or EndpointSlice is logged and skipped instead of stopping the node.

export class KubeProxyError extends Error {
  override readonly name = 'KubeProxyError';
  constructor(
    /** The file that refused: "kubeproxy/convert", "kubeproxy/render"... */
    readonly module: string,
    detail: string,
  ) {
    super(`${module}: ${detail}`);
  }
}
