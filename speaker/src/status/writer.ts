// Writes this node's ServiceBGPStatus objects: the wanted content per object name goes in, a
// single worker writes the differences (coalesced, conflict-safe) and deletes what is not wanted.
import { API_VERSION } from '@headland/api';
import { isNotFound, requestJson, writeWithRetry, type JsonObject, type Logger } from '@headland/kube';
import type { ClusterAccess as KubeConfig } from '@headland/kube';
import { STATUS_PLURAL, type StatusObject } from './service-status.js';

/** A status object of either kind (ServiceBGPStatus, ServiceL2Status): the writer only compares and sends it. */
export type WritableStatus = Omit<StatusObject, 'status'> & { readonly status: unknown };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The object to write over `current` (null: absent) so it shows `desired`, with the
 * resourceVersion read (a conflict then means someone wrote in between); undefined: it already does.
 */
export function nextStatus(current: JsonObject | null, desired: WritableStatus): JsonObject | undefined {
  if (current === null) return desired as unknown as JsonObject;
  const meta = isRecord(current['metadata']) ? current['metadata'] : {};
  const sameStatus = JSON.stringify(current['status']) === JSON.stringify(desired.status);
  const sameLabels = JSON.stringify(meta['labels'] ?? {}) === JSON.stringify(desired.metadata.labels);
  if (sameStatus && sameLabels) return undefined;
  return { ...(desired as unknown as JsonObject), metadata: { ...desired.metadata, resourceVersion: String(meta['resourceVersion'] ?? '') } };
}

export interface StatusWriterOptions {
  readonly kc: KubeConfig;
  readonly namespace: string;
  readonly log: Logger;
  /** Lets a burst of changes land as one write per object. */
  readonly delayMs?: number;
  readonly onWrite?: (outcome: 'created' | 'updated' | 'deleted' | 'failed') => void;
  /** The status kind's plural (default servicebgpstatuses). */
  readonly plural?: string;
}

export class StatusWriter {
  private readonly wanted = new Map<string, WritableStatus | undefined>();
  private readonly dirty = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly base: string;

  constructor(private readonly o: StatusWriterOptions) {
    const [group, version] = API_VERSION.split('/');
    this.base = `/apis/${group}/${version}/namespaces/${encodeURIComponent(o.namespace)}/${o.plural ?? STATUS_PLURAL}`;
  }

  /** The object `name` should show `object`, or not exist (undefined). */
  set(name: string, object: WritableStatus | undefined): void {
    this.wanted.set(name, object);
    this.dirty.add(name);
    this.schedule();
  }

  /** Names it was last told to keep. */
  keeps(name: string): boolean {
    return this.wanted.get(name) !== undefined;
  }

  /** Waits until nothing is queued or being written (tests, shutdown). */
  async settle(): Promise<void> {
    while (!this.stopped && (this.timer !== undefined || this.running !== undefined)) {
      await (this.running ?? new Promise((r) => setTimeout(r, 10)));
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.stopped || this.timer !== undefined || this.running !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.drain().finally(() => {
        this.running = undefined;
        if (this.dirty.size > 0) this.schedule();
      });
    }, this.o.delayMs ?? 50);
  }

  private async drain(): Promise<void> {
    while (!this.stopped && this.dirty.size > 0) {
      const names = [...this.dirty];
      this.dirty.clear();
      for (const name of names) {
        if (this.stopped) return;
        try {
          await this.write(name, this.wanted.get(name));
          if (this.wanted.get(name) === undefined && !this.dirty.has(name)) this.wanted.delete(name);
        } catch (err) {
          this.o.onWrite?.('failed');
          this.o.log.warn({ object: name, err: String(err) }, 'could not write ServiceBGPStatus; retrying');
          this.dirty.add(name);
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    }
  }

  private async write(name: string, desired: WritableStatus | undefined): Promise<void> {
    const path = `${this.base}/${encodeURIComponent(name)}`;
    if (desired === undefined) {
      try {
        await requestJson(this.o.kc, 'DELETE', path);
        this.o.onWrite?.('deleted');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    const read = async (): Promise<JsonObject | null> => {
      try {
        return await requestJson(this.o.kc, 'GET', path);
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    };
    await writeWithRetry<JsonObject | null>(read, (current) => nextStatus(current, desired), async (next) => {
      if (next === null) return null;
      const meta = next['metadata'] as Record<string, unknown>;
      if (meta['resourceVersion'] === undefined) {
        // 409 AlreadyExists (made in between) is a conflict too: writeWithRetry reads and decides again.
        const created = await requestJson(this.o.kc, 'POST', this.base, { body: next });
        this.o.onWrite?.('created');
        // The status subresource drops status on create; write it now with the fresh version.
        const again = nextStatus(created, desired);
        return again === undefined ? created : requestJson(this.o.kc, 'PUT', `${path}/status`, { body: again });
      }
      const updated = await requestJson(this.o.kc, 'PUT', `${path}/status`, { body: next });
      this.o.onWrite?.('updated');
      return updated;
    });
  }
}
