// Feeds a script to `nft -f -`, inside a network namespace when one is named, so one stand-in
// process (or a test) can program any node of the lab from the root namespace.

import { execFile } from 'node:child_process';
import { KubeProxyError } from './errors.js';

const NETNS_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const TIMEOUT_MS = 10_000;

export function nftArgv(netns: string | undefined, args: readonly string[]): string[] {
  if (netns === undefined) return ['nft', ...args];
  if (!NETNS_NAME.test(netns)) throw new KubeProxyError('kubeproxy/nft', `"${netns}" is not a network namespace name`);
  return ['ip', 'netns', 'exec', netns, 'nft', ...args];
}

/** Runs nft with `args` and `input` on stdin; resolves stdout, rejects with nft's own complaint. */
export function runNft(netns: string | undefined, args: readonly string[], input?: string): Promise<string> {
  const [file, ...rest] = nftArgv(netns, args);
  return new Promise((resolve, reject) => {
    const child = execFile(file!, rest, { timeout: TIMEOUT_MS, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err === null) return resolve(stdout);
      const where = netns === undefined ? '' : ` in ${netns}`;
      reject(new KubeProxyError('kubeproxy/nft', `nft ${args.join(' ')}${where} failed: ${(stderr.trim() || err.message).slice(0, 2000)}`));
    });
    // nft may exit before it reads stdin (a `list` of a table that is gone): the EPIPE that
    // writing then raises says nothing the exit status and stderr above do not.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

export const applyScript = (netns: string | undefined, script: string): Promise<string> => runNft(netns, ['-f', '-'], script);
