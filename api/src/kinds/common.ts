// Pieces every Headland kind shares: object metadata, status conditions, and the description
// of a kind that the CRD generator and the config builder read.
import { array, enumOf, integer, object, optional, string, type Infer, type Schema } from '../schema/builder.js';

export const GROUP = 'headland.io';
export const VERSION = 'v1beta1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const DEFAULT_NAMESPACE = 'headland-system';

/** The part of Kubernetes' ObjectMeta that Headland reads; plain data, no client types. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** metav1.Condition: how a controller tells the user, on the object, what it made of it. */
export const condition = object({
  type: string({ description: 'The kind of condition, e.g. Valid or Ready.', maxLength: 316 }),
  status: enumOf(['True', 'False', 'Unknown'] as const),
  reason: string({ description: 'A CamelCase word for the cause.', maxLength: 1024 }),
  message: string({ description: 'What happened, in words.', maxLength: 32768 }),
  lastTransitionTime: string({ format: 'date-time' }),
  observedGeneration: optional(integer({ minimum: 0 })),
});
export type Condition = Infer<typeof condition>;

export const conditions = optional(
  array(condition, {
    description: 'What the controller and speakers made of this object (Valid, with the reason when it is not).',
  }),
);

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
}

/** Everything needed to generate a kind's CRD and to name it in errors. */
export interface KindInfo<Spec = unknown, Status = unknown> {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  scope: 'Namespaced' | 'Cluster';
  description: string;
  spec: Schema<Spec>;
  status: Schema<Status> | undefined;
  printerColumns: PrinterColumn[];
}

/** A Headland custom resource as plain data. */
export interface Resource<Kind extends string, Spec, Status = never> {
  apiVersion: typeof API_VERSION;
  kind: Kind;
  metadata: ObjectMeta;
  spec: Spec;
  status?: Status;
}

export const ageColumn: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

/** A selector list: a field that holds several LabelSelectors of which any may match. */
export const selectorDoc = (what: string): string =>
  `Label selectors for ${what}; an object matches when any selector matches. Empty or absent means all.`;
