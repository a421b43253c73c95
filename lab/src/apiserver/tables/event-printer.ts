// Events in `kubectl get events`: one printer for core/v1 and events.k8s.io/v1, as both are
// the same stored Event; the newer API's field names are read as the core ones they convert to.

import type { Json, JsonObject } from '../json.js';
import { since, timestamp } from './duration.js';
import { column, int, obj, str, type Printer, nameOf, type PrintedRow } from './printer.js';

/** The core/v1 fields the printer reads, from either API version. */
interface EventView {
  name: string;
  type: string;
  reason: string;
  message: string;
  involved: JsonObject;
  source: JsonObject;
  reportingController: string;
  reportingInstance: string;
  firstTimestamp: Json | undefined;
  lastTimestamp: Json | undefined;
  eventTime: Json | undefined;
  count: number;
  series: JsonObject | undefined;
}

function view(ev: JsonObject, group: string): EventView {
  const series = ev['series'];
  const common = { name: nameOf(ev), type: str(ev['type']), reason: str(ev['reason']), eventTime: ev['eventTime'], series: series === undefined || series === null ? undefined : obj(series) };
  if (group === 'events.k8s.io') {
    return {
      ...common,
      message: str(ev['note']),
      involved: obj(ev['regarding']),
      source: obj(ev['deprecatedSource']),
      reportingController: str(ev['reportingController']),
      reportingInstance: str(ev['reportingInstance']),
      firstTimestamp: ev['deprecatedFirstTimestamp'],
      lastTimestamp: ev['deprecatedLastTimestamp'],
      count: int(ev['deprecatedCount']),
    };
  }
  return {
    ...common,
    message: str(ev['message']),
    involved: obj(ev['involvedObject']),
    source: obj(ev['source']),
    reportingController: str(ev['reportingComponent']),
    reportingInstance: str(ev['reportingInstance']),
    firstTimestamp: ev['firstTimestamp'],
    lastTimestamp: ev['lastTimestamp'],
    count: int(ev['count']),
  };
}

/** `component, host`, falling back to the reporting controller and instance. */
function sourceCell(e: EventView): string {
  const component = str(e.source['component']) || e.reportingController;
  const host = str(e.source['host']) || e.reportingInstance;
  return host === '' ? component : `${component}, ${host}`;
}

function printEvent(ev: JsonObject, now: Date, group: string): PrintedRow {
  const e = view(ev, group);
  const first = timestamp(e.firstTimestamp) === undefined ? since(e.eventTime, now) : since(e.firstTimestamp, now);
  let last = timestamp(e.lastTimestamp) === undefined ? first : since(e.lastTimestamp, now);
  let count = e.count;
  if (e.series !== undefined) {
    last = since(e.series['lastObservedTime'], now);
    count = int(e.series['count']);
  } else if (count === 0) count = 1;
  const kind = str(e.involved['kind']).toLowerCase();
  const target = str(e.involved['name']) === '' ? kind : `${kind}/${str(e.involved['name'])}`;
  return { cells: [last, e.type, e.reason, target, str(e.involved['fieldPath']), sourceCell(e), e.message.trim(), first, count, e.name] };
}

const columns = [
  column('Last Seen', 'string', 'How long ago the event last happened.'),
  column('Type', 'string', 'Normal or Warning.'),
  column('Reason', 'string', 'Why the event happened, in one CamelCase word.'),
  column('Object', 'string', 'The object the event is about, as kind/name.'),
  column('Subobject', 'string', 'The part of the object the event is about.', { priority: 1 }),
  column('Source', 'string', 'The component, and host, that reported the event.', { priority: 1 }),
  column('Message', 'string', 'What happened, for people.'),
  column('First Seen', 'string', 'How long ago the event first happened.', { priority: 1 }),
  column('Count', 'string', 'How many times the event happened.', { priority: 1 }),
  column('Name', 'string', 'The name of the event object.', { priority: 1, format: 'name' }),
];

export const coreEventPrinter: Printer = { columns, print: (ev, now) => printEvent(ev, now, '') };
export const eventsApiEventPrinter: Printer = { columns, print: (ev, now) => printEvent(ev, now, 'events.k8s.io') };
