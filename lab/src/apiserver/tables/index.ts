// Server-side printing for the request path: pick the response format from Accept, then turn
// a list or object into the Table (or PartialObjectMetadata) kube-apiserver would send.

export { negotiate, parseAccept, JSON_MEDIA_TYPE, type AcceptChoice, type AcceptClause, type Conversion, type MetaKind, type NegotiateOptions, type ServedMediaType } from './accept.js';
export { transformResponse, type PartialObjectMetadataList, type Response, type ResponseBody, type TransformOptions } from './transform.js';
export { partialObjectMetadata, parseIncludeObject, tablePrinter, toTable, type IncludeObject, type MetaVersion, type PartialObjectMetadata, type Table, type TableOptions, type TablePrinter, type TableResource, type TableRow } from './table.js';
export { crdPrinter, printerColumnsOf, type CrdPrinter } from './crd-columns.js';
export { JsonPath, JsonPathError, JsonPathEvalError } from './jsonpath.js';
export { humanDuration, shortHumanDuration } from './duration.js';
export type { Cell, ColumnDefinition, Printer, PrintedRow, RowCondition } from './printer.js';
