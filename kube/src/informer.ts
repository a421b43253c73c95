// An informer that never stays down: list, then watch from the list's resourceVersion; relist
// on 410 Gone, re-watch after a close, back off (capped, reset on success) after any failure.
// Objects are the server's plain JSON, from a list or a watch alike, with apiVersion and kind set.

import type { KubernetesObject } from '@kubernetes/client-node';
import type { ClusterAccess as KubeConfig } from './cluster-config.js';
import { httpClientFor } from './http-client.js';
import { Backoff } from './backoff.js';
import { ConfigError, HttpError } from './errors.js';
import type { Logger } from './log.js';
import { ObjectCache, type Change, type ChangeType, type WatchEventType } from './object-cache.js';
import { collectionPath, describeRef, type ResourceRef } from './resource-ref.js';
import { requestJson } from './rest.js';
import { statusCodeOf } from './status.js';
import { afterWatch, type WatchEnd } from './watch-step.js';

export type { ChangeType } from './object-cache.js';
export type { ResourceRef } from './resource-ref.js';

export type ChangeHandler<T> = (type: ChangeType, obj: T, old: T | undefined) => void;
export type ErrorHandler = (err: unknown, retryInMs: number) => void;

export interface Informer<T> {
  on(event: 'change', fn: ChangeHandler<T>): void;
  on(event: 'error', fn: ErrorHandler): void;
  list(): readonly T[];
  get(namespace: string | undefined, name: string): T | undefined;
  /** Resolves after the first complete list; rejects if the informer is stopped before that. */
  readonly synced: Promise<void>;
  hasSynced(): boolean;
  stop(): Promise<void>;
}

export interface InformerOptions<T extends KubernetesObject = KubernetesObject> {
  retryMinMs?: number;
  retryMaxMs?: number;
  log?: Logger;
  /**
   * What the informer keeps of each object (list(), get(), the `old` of a change), for owners
   * that read objects once from the change and never again: handlers still get every new object
   * whole. Keep name, namespace and resourceVersion (objectSkeleton does): they key and dedupe.
   */
  storeAs?: (obj: T) => T;
}

/** A watch that ends this soon with nothing in it counts as suspicious, not as a normal close. */
const QUICK_CLOSE_MS = 1_000;

export function createInformer<T extends KubernetesObject>(kc: KubeConfig, ref: ResourceRef, opts: InformerOptions<T> = {}): Informer<T> {
  return new RecoveringInformer<T>(kc, ref, opts);
}

class RecoveringInformer<T extends KubernetesObject> implements Informer<T> {
  private readonly cache: ObjectCache<T>;
  private readonly changeHandlers: ChangeHandler<T>[] = [];
  private readonly errorHandlers: ErrorHandler[] = [];
  private readonly path: string;
  private readonly backoff: Backoff;
  private readonly what: string;
  private resourceVersion: string | undefined;
  private stopped = false;
  private isSynced = false;
  private watchAbort: AbortController | undefined;
  private wake: (() => void) | undefined;
  private readonly loop: Promise<void>;
  readonly synced: Promise<void>;
  private resolveSynced!: () => void;
  private rejectSynced!: (err: Error) => void;

  constructor(
    private readonly kc: KubeConfig,
    private readonly ref: ResourceRef,
    private readonly opts: InformerOptions<T>,
  ) {
    this.cache = new ObjectCache<T>(opts.storeAs);
    this.path = collectionPath(ref);
    this.what = describeRef(ref);
    this.backoff = new Backoff(opts.retryMinMs ?? 500, opts.retryMaxMs ?? 30_000);
    this.synced = new Promise<void>((resolve, reject) => {
      this.resolveSynced = resolve;
      this.rejectSynced = reject;
    });
    // Nobody may be waiting when a stop before sync rejects it; that must not crash the process.
    this.synced.catch(() => undefined);
    this.loop = this.run();
  }

  on(event: 'change', fn: ChangeHandler<T>): void;
  on(event: 'error', fn: ErrorHandler): void;
  on(event: 'change' | 'error', fn: ChangeHandler<T> | ErrorHandler): void {
    if (event === 'change') this.changeHandlers.push(fn as ChangeHandler<T>);
    else if (event === 'error') this.errorHandlers.push(fn as ErrorHandler);
    else throw new ConfigError(`informer: unknown event ${JSON.stringify(event)} (change or error)`);
  }

  list(): readonly T[] {
    return this.cache.list();
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(namespace, name);
  }

  hasSynced(): boolean {
    return this.isSynced;
  }

  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.watchAbort?.abort();
      this.wake?.();
      if (!this.isSynced) this.rejectSynced(new Error(`informer: ${this.what} stopped before its first list`));
    }
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.resourceVersion === undefined) {
        try {
          await this.relist();
          this.backoff.reset();
        } catch (err) {
          if (this.stopped) return;
          await this.failed(err, this.backoff.next());
          continue;
        }
      }
      if (this.stopped) return;
      const end = await this.watchOnce();
      const step = afterWatch(end, this.backoff, QUICK_CLOSE_MS);
      if (this.stopped) return;
      if (step.relist) {
        this.opts.log?.debug({ resource: this.what }, 'informer: resourceVersion too old, relisting');
        this.resourceVersion = undefined;
      }
      if (step.report) await this.failed(end.kind === 'failed' ? end.err : undefined, step.waitMs);
      else if (step.waitMs > 0) await this.sleep(step.waitMs);
    }
  }

  private async failed(err: unknown, waitMs: number): Promise<void> {
    this.opts.log?.warn({ resource: this.what, err: String(err), retryInMs: waitMs }, 'informer: list or watch failed, retrying');
    for (const fn of this.errorHandlers) {
      try {
        fn(err, waitMs);
      } catch (handlerErr) {
        this.opts.log?.error({ resource: this.what, err: String(handlerErr) }, 'informer: an error handler threw');
      }
    }
    await this.sleep(waitMs);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  /** Sets apiVersion and kind: list items come without them, watch objects with them. */
  private normalise(obj: unknown): T {
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new HttpError(502, 'GET', this.path, obj, `informer: ${this.what}: the server sent a non-object item`);
    const o = obj as Record<string, unknown>;
    o['apiVersion'] = this.ref.apiVersion;
    o['kind'] = this.ref.kind;
    // managedFields is server-side apply bookkeeping, often larger than the object itself and
    // read by nothing here: dropping it is most of an informer's memory on a real cluster.
    const meta = o['metadata'];
    if (typeof meta === 'object' && meta !== null) delete (meta as Record<string, unknown>)['managedFields'];
    return o as T;
  }

  private async relist(): Promise<void> {
    const list = await requestJson(this.kc, 'GET', this.path, { query: { labelSelector: this.ref.labelSelector, fieldSelector: this.ref.fieldSelector }, timeoutMs: 60_000 });
    const items = list['items'];
    const meta = list['metadata'];
    if (!Array.isArray(items)) throw new HttpError(502, 'GET', this.path, list, `informer: ${this.what}: the list has no items array`);
    const rv = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? meta['resourceVersion'] : undefined;
    if (typeof rv !== 'string' || rv === '') throw new HttpError(502, 'GET', this.path, list, `informer: ${this.what}: the list has no resourceVersion`);
    if (this.stopped) return;
    const changes = this.cache.replace(items.map((i) => this.normalise(i)));
    this.resourceVersion = rv;
    if (!this.isSynced) {
      // Synced before the handlers run, so a handler that asks hasSynced() sees the truth.
      this.isSynced = true;
      this.resolveSynced();
    }
    this.emit(changes);
  }

  private emit(changes: readonly Change<T>[]): void {
    for (const c of changes) {
      for (const fn of this.changeHandlers) {
        try {
          fn(c.type, c.obj, c.old);
        } catch (err) {
          this.opts.log?.error({ resource: this.what, err: String(err), change: c.type, name: c.obj.metadata?.name }, 'informer: a change handler threw');
        }
      }
    }
  }

  private watchOnce(): Promise<WatchEnd> {
    const started = Date.now();
    let events = 0;
    let gone = false;
    let streamError: unknown;
    return new Promise<WatchEnd>((resolve) => {
      const done = (err: unknown): void => {
        this.watchAbort = undefined;
        if (gone) return resolve({ kind: 'gone' });
        const failure = err ?? streamError;
        // client-node aborts a watch that was idle for 30 s; that is a normal end, not a failure.
        if (failure === undefined || failure === null || (failure instanceof Error && failure.name === 'TimeoutError')) {
          return resolve({ kind: 'closed', events, lastedMs: Date.now() - started });
        }
        resolve({ kind: 'failed', err: failure });
      };
      const onEvent = (phase: string, obj: unknown): void => {
        if (this.stopped) return;
        if (phase === 'ERROR') {
          const code = statusCodeOf(obj);
          if (code === 410) gone = true;
          else {
            const message = typeof obj === 'object' && obj !== null ? String((obj as Record<string, unknown>)['message'] ?? '') : '';
            streamError = new HttpError(code ?? 500, 'GET', this.path, obj, `informer: ${this.what}: watch error ${code ?? ''} ${message}`.trim());
          }
          return;
        }
        const rv = (obj as KubernetesObject | undefined)?.metadata?.resourceVersion;
        events++;
        this.backoff.reset();
        if (phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED') {
          const change = this.cache.apply(phase as WatchEventType, this.normalise(obj));
          if (change !== undefined) this.emit([change]);
        }
        // BOOKMARK carries only a resourceVersion: the point to resume from.
        if (typeof rv === 'string' && rv !== '') this.resourceVersion = rv;
      };
      const query = {
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        // Like client-go: 5 to 10 minutes, so watches from many clients do not all end together.
        timeoutSeconds: Math.floor(300 * (1 + Math.random())),
        labelSelector: this.ref.labelSelector,
        fieldSelector: this.ref.fieldSelector,
      };
      const abort = new AbortController();
      if (this.stopped) abort.abort();
      else this.watchAbort = abort;
      httpClientFor(this.kc)
        .then((client) =>
          client.stream(
            this.path,
            { ...query, watch: 'true', allowWatchBookmarks: 'true', timeoutSeconds: String(query.timeoutSeconds) },
            (line) => {
              let event: { type?: unknown; object?: unknown };
              try {
                event = JSON.parse(line) as { type?: unknown; object?: unknown };
              } catch {
                streamError = new HttpError(502, 'GET', this.path, undefined, `informer: ${this.what}: the watch sent a line that is not JSON: ${line.slice(0, 120)}`);
                abort.abort();
                return;
              }
              onEvent(String(event.type), event.object);
            },
            // The server ends a watch at timeoutSeconds and sends BOOKMARKs meanwhile; a stream
            // silent for much longer than that is dead (a peer gone without a FIN).
            { signal: abort.signal, idleMs: (query.timeoutSeconds + 60) * 1000 },
          ),
        )
        .then(() => done(undefined), done);
    });
  }
}
