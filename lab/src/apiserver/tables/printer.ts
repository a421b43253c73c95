// What a printer is (column definitions plus one row per object) and the small readers of
// untyped JSON the printers share, giving Go's zero values where a field is absent.

import { isObject, type Json, type JsonObject } from '../json.js';

/** metav1.TableColumnDefinition as JSON. */
export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export type Cell = string | number | boolean | null;

/** metav1.TableRowCondition: how a row says "this pod has completed". */
export interface RowCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

export interface PrintedRow {
  cells: Cell[];
  conditions?: RowCondition[];
}

/** One resource's server-side printing: every column, wide ones included, as the server always sends them. */
export interface Printer {
  columns: readonly ColumnDefinition[];
  print(obj: JsonObject, now: Date): PrintedRow;
}

export function column(name: string, type: string, description: string, opts: { priority?: number; format?: string } = {}): ColumnDefinition {
  return { name, type, format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}

export const NAME_COLUMN = column('Name', 'string', 'The name of the object, unique within its namespace and type.', { format: 'name' });
export const AGE_COLUMN = column('Age', 'string', 'How long ago the object was created.');
export const CONTAINERS_COLUMN = column('Containers', 'string', 'The containers of the pod template, by name.', { priority: 1 });
export const IMAGES_COLUMN = column('Images', 'string', 'The images of the pod template containers.', { priority: 1 });

export const obj = (v: Json | undefined): JsonObject => (isObject(v) ? v : {});
export const list = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
export const str = (v: Json | undefined): string => (typeof v === 'string' ? v : '');
/** An integer field, 0 when absent (Go's zero value); the real decoder refuses fractions, so none are shown. */
export const int = (v: Json | undefined): number => (typeof v === 'number' ? Math.trunc(v) : 0);
export const count = (v: Json | undefined): number => (Array.isArray(v) ? v.length : isObject(v) ? Object.keys(v).length : 0);

export const meta = (o: JsonObject): JsonObject => obj(o['metadata']);
export const nameOf = (o: JsonObject): string => str(meta(o)['name']);
export const createdOf = (o: JsonObject): Json | undefined => meta(o)['creationTimestamp'];

/** layoutContainerCells: container names and images, each joined with commas. */
export function containerCells(podSpec: JsonObject): [string, string] {
  const containers = list(podSpec['containers']).map(obj);
  return [containers.map((c) => str(c['name'])).join(','), containers.map((c) => str(c['image'])).join(',')];
}

/** The pod spec inside a workload's `spec.template`. */
export const templateSpec = (o: JsonObject): JsonObject => obj(obj(obj(o['spec'])['template'])['spec']);
