// The meta.k8s.io Table a `kubectl get` receives: the resource's printer applied to each
// object, with the row's object as kube-apiserver embeds it per `?includeObject=`.

import { ApiError, Reason } from '../errors.js';
import type { Json, JsonObject } from '../json.js';
import { crdPrinter } from './crd-columns.js';
import type { JsonPathError } from './jsonpath.js';
import { builtinPrinter, defaultPrinter } from './printers.js';
import { meta, type Cell, type ColumnDefinition, type Printer, type RowCondition } from './printer.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';
export type MetaVersion = 'v1' | 'v1beta1';

/** Enough of a ResourceType (resources.ts) to pick its printer. */
export interface TableResource {
  group: string;
  plural: string;
  /** Set for custom resources: the name of their CRD. */
  crd?: string | undefined;
}

export interface TableOptions {
  now: Date;
  /** Default Metadata, as the real server's. */
  includeObject?: IncludeObject;
  /** The list's resourceVersion, or the object's for a single GET. */
  resourceVersion?: string;
  continue?: string;
  /** meta.k8s.io version the client negotiated; v1 by default. */
  version?: MetaVersion;
  /** The served version's additionalPrinterColumns, for custom resources. */
  crdColumns?: Json | undefined;
  /** Leave out the column definitions, as a watch does after its first event. */
  noHeaders?: boolean;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: string;
  metadata: JsonObject;
}

export interface TableRow {
  cells: Cell[];
  conditions?: RowCondition[];
  object: JsonObject | PartialObjectMetadata | null;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: readonly ColumnDefinition[] | null;
  rows: TableRow[] | null;
}

/** meta.AsPartialObjectMetadata: the object's whole metadata under meta.k8s.io's kind. */
export function partialObjectMetadata(o: JsonObject, version: MetaVersion = 'v1'): PartialObjectMetadata {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: meta(o) };
}

/** `?includeObject=` as TableOptions validation reads it; a 400 like kube-apiserver's otherwise. */
export function parseIncludeObject(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject') ?? '';
  if (v === '' || v === 'Metadata') return 'Metadata';
  if (v === 'None' || v === 'Object') return v;
  throw new ApiError(400, Reason.BadRequest, `Unable to convert to Table as requested: includeObject: Invalid value: ${JSON.stringify(v)}: must be 'Metadata', 'Object', 'None', or empty`);
}

export interface TablePrinter {
  printer: Printer;
  /** Custom resources only: the printer column whose path does not parse (logged by the real server). */
  error?: JsonPathError;
  /** The generic NAME / CREATED AT table, which sends `rows: null` for no objects. */
  generic: boolean;
}

/** The printer the real server uses for `type`. */
export function tablePrinter(type: TableResource, crdColumns?: Json): TablePrinter {
  if (type.crd !== undefined) return { ...crdPrinter(crdColumns), generic: false };
  const builtin = builtinPrinter(type.group, type.plural);
  return builtin === undefined ? { printer: defaultPrinter, generic: true } : { printer: builtin, generic: false };
}

function rowObject(o: JsonObject, include: IncludeObject, version: MetaVersion): TableRow['object'] {
  if (include === 'None') return null;
  return include === 'Object' ? o : partialObjectMetadata(o, version);
}

/** The Table for `objects` of `type` (one object for a single GET), as kube-apiserver sends it. */
export function toTable(type: TableResource, objects: readonly JsonObject[], opts: TableOptions): Table {
  const { printer, generic } = tablePrinter(type, opts.crdColumns);
  const version = opts.version ?? 'v1';
  const include = opts.includeObject ?? 'Metadata';
  const rows = objects.map((o): TableRow => {
    const printed = printer.print(o, opts.now);
    const row: TableRow = { cells: printed.cells, object: rowObject(o, include, version) };
    return printed.conditions === undefined ? row : { cells: row.cells, conditions: printed.conditions, object: row.object };
  });
  const metadata: Table['metadata'] = {};
  if (opts.resourceVersion !== undefined && opts.resourceVersion !== '') metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue !== undefined && opts.continue !== '') metadata.continue = opts.continue;
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${version}`,
    metadata,
    columnDefinitions: opts.noHeaders === true ? null : printer.columns,
    rows: rows.length === 0 && generic ? null : rows,
  };
}
