// A client-node informer that never stays down: client-node's ListWatch gives up for good on
// any error but 410, so this restarts it with capped backoff and reports each failure once.

import { makeInformer, type Informer, type KubeConfig, type KubernetesListObject, type KubernetesObject, type ObjectCache } from '@kubernetes/client-node';

export interface WatchedResource<T extends KubernetesObject> {
  /** Every object the informer holds now (model classes from a list, plain JSON from a watch). */
  list(): readonly T[];
  /** Resolves once the first list has been received (or after the first failure). */
  readonly started: Promise<void>;
  stop(): Promise<void>;
}

export interface WatchOptions {
  readonly onChange: () => void;
  readonly onError: (err: unknown, retryInMs: number) => void;
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
}

export function watchResource<T extends KubernetesObject>(kc: KubeConfig, path: string, listFn: () => Promise<KubernetesListObject<T>>, opts: WatchOptions): WatchedResource<T> {
  const informer: Informer<T> & ObjectCache<T> = makeInformer(kc, path, listFn);
  const min = opts.retryMinMs ?? 200;
  const max = opts.retryMaxMs ?? 5_000;
  let retryMs = min;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onObject = () => {
    retryMs = min;
    opts.onChange();
  };
  informer.on('add', onObject);
  informer.on('update', onObject);
  informer.on('delete', onObject);
  const restart = (err: unknown) => {
    if (stopped) return;
    const wait = retryMs;
    retryMs = Math.min(retryMs * 2, max);
    opts.onError(err, wait);
    // The cache may have missed deletes while down; a relist on restart repairs it, but the
    // rules must be recomputed from it either way.
    opts.onChange();
    timer = setTimeout(() => {
      timer = undefined;
      if (!stopped) informer.start().catch(restart);
    }, wait);
  };
  informer.on('error', restart);
  const started = informer.start().catch(restart);
  return {
    list: () => informer.list(),
    started,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await informer.stop();
    },
  };
}
