// Custom resources in tables, as apiextensions-apiserver's table convertor builds them: NAME,
// then the served version's additionalPrinterColumns (or AGE alone when it lists none).

import { isObject, type Json, type JsonObject } from '../json.js';
import { humanDuration, parseTime, ZERO_TIME } from './duration.js';
import { printResult } from './go-print.js';
import { isInt, JsonPath, JsonPathError, JsonPathEvalError, PathFloat, type PathValue } from './jsonpath.js';
import { column, list, NAME_COLUMN, nameOf, obj, str, type Cell, type ColumnDefinition, type Printer } from './printer.js';

/** The additionalPrinterColumns of one version of a CRD, undefined if it has no such version. */
export function printerColumnsOf(crd: JsonObject, version: string): Json[] | undefined {
  const v = list(obj(crd['spec'])['versions'])
    .map(obj)
    .find((x) => x['name'] === version);
  return v === undefined ? undefined : list(v['additionalPrinterColumns']);
}

const DEFAULT_COLUMNS: Json[] = [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'How long ago the object was created.' }];

/** metav1.Time's UnmarshalQueryParameter, then the age the convertor prints for a `date` column. */
function dateCell(text: string, now: Date): string {
  if (text === '' || text === 'null') return '<unknown>';
  const t = parseTime(text);
  if (t === undefined) return '<invalid>';
  return t === ZERO_TIME ? '<unknown>' : humanDuration(now.getTime() - t);
}

const numeric = (v: PathValue): number | undefined => (v instanceof PathFloat ? v.value : typeof v === 'number' ? v : undefined);

/** cellForJSONValue: a cell of the column's type, or empty when the value is of another type. */
function typedCell(type: string, v: PathValue, now: Date): Cell {
  const n = numeric(v);
  switch (type) {
    case 'integer':
      return n === undefined ? null : Math.trunc(n);
    case 'number':
      return n === undefined ? null : n;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'date':
      return typeof v === 'string' ? dateCell(v, now) : null;
    default:
      return null;
  }
}

interface CustomColumn {
  definition: ColumnDefinition;
  path: JsonPath;
}

function cell(col: CustomColumn, o: JsonObject, now: Date): Cell {
  let found: PathValue[];
  try {
    found = col.path.find(o);
  } catch (e) {
    if (e instanceof JsonPathEvalError) return null;
    throw e;
  }
  // Only the first value is shown: `.spec.items[*].name` gives the first item's name.
  const first = found[0];
  if (first === undefined) return null;
  return col.definition.type === 'string' ? printResult(first) : typedCell(col.definition.type, first, now);
}

export interface CrdPrinter {
  printer: Printer;
  /** The first column whose jsonPath did not parse; it and the columns after it are left out, as the real server does. */
  error?: JsonPathError;
}

/** A printer for custom resources of a version whose additionalPrinterColumns are `raw`. */
export function crdPrinter(raw: Json | undefined): CrdPrinter {
  const given = list(raw).filter(isObject);
  const columns: CustomColumn[] = [];
  let error: JsonPathError | undefined;
  for (const c of given.length > 0 ? given : (DEFAULT_COLUMNS as JsonObject[])) {
    const jsonPath = str(c['jsonPath']);
    let path: JsonPath;
    try {
      path = new JsonPath(jsonPath);
    } catch (e) {
      if (!(e instanceof JsonPathError)) throw e;
      error = e;
      break;
    }
    const description = str(c['description']) || `The custom resource's ${jsonPath}, as JSONPath.`;
    const priority = typeof c['priority'] === 'number' && isInt(c['priority']) ? c['priority'] : 0;
    columns.push({ definition: column(str(c['name']), str(c['type']), description, { priority, format: str(c['format']) }), path });
  }
  const printer: Printer = {
    columns: [NAME_COLUMN, ...columns.map((c) => c.definition)],
    print: (o, now) => ({ cells: [nameOf(o), ...columns.map((c) => cell(c, o, now))] }),
  };
  return error === undefined ? { printer } : { printer, error };
}
