// apps/v1 workloads in tables: replica counts, the pod template's containers and images, and
// the selector, as the Deployment, DaemonSet, ReplicaSet and StatefulSet printers show them.

import type { JsonObject } from '../json.js';
import { since } from './duration.js';
import { formatLabels, formatLabelSelector, selectorString } from './labels.js';
import { AGE_COLUMN, column, CONTAINERS_COLUMN, containerCells, createdOf, IMAGES_COLUMN, int, NAME_COLUMN, nameOf, obj, templateSpec, type Printer } from './printer.js';

/** spec.replicas, which apps/v1 defaults to 1 on write. */
const desired = (o: JsonObject): number => (typeof obj(o['spec'])['replicas'] === 'number' ? int(obj(o['spec'])['replicas']) : 1);

const SELECTOR_COLUMN = column('Selector', 'string', 'The labels that pick the pods the controller owns.', { priority: 1 });

export const deploymentPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'Ready pods out of those wanted.'),
    column('Up-to-date', 'string', 'Pods running the current template.'),
    column('Available', 'string', 'Pods available to serve.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  print(d, now) {
    const status = obj(d['status']);
    const [names, images] = containerCells(templateSpec(d));
    const selector = selectorString(obj(d['spec'])['selector']) ?? '<invalid>';
    return { cells: [nameOf(d), `${int(status['readyReplicas'])}/${desired(d)}`, int(status['updatedReplicas']), int(status['availableReplicas']), since(createdOf(d), now), names, images, selector] };
  },
};

export const daemonSetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', 'Nodes that should run the daemon pod.'),
    column('Current', 'integer', 'Nodes that run the daemon pod.'),
    column('Ready', 'integer', 'Nodes whose daemon pod is ready.'),
    column('Up-to-date', 'integer', 'Nodes running the current template.'),
    column('Available', 'integer', 'Nodes whose daemon pod is available.'),
    column('Node Selector', 'string', 'The node labels the daemon pods are limited to.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  print(ds, now) {
    const s = obj(ds['status']);
    const [names, images] = containerCells(templateSpec(ds));
    return {
      cells: [
        nameOf(ds),
        int(s['desiredNumberScheduled']),
        int(s['currentNumberScheduled']),
        int(s['numberReady']),
        int(s['updatedNumberScheduled']),
        int(s['numberAvailable']),
        formatLabels(templateSpec(ds)['nodeSelector']),
        since(createdOf(ds), now),
        names,
        images,
        formatLabelSelector(obj(ds['spec'])['selector']),
      ],
    };
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', 'Pods wanted.'),
    column('Current', 'integer', 'Pods created.'),
    column('Ready', 'integer', 'Pods ready.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  print(rs, now) {
    const s = obj(rs['status']);
    const [names, images] = containerCells(templateSpec(rs));
    return { cells: [nameOf(rs), desired(rs), int(s['replicas']), int(s['readyReplicas']), since(createdOf(rs), now), names, images, formatLabelSelector(obj(rs['spec'])['selector'])] };
  },
};

export const statefulSetPrinter: Printer = {
  columns: [NAME_COLUMN, column('Ready', 'string', 'Ready pods out of those wanted.'), AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN],
  print(ss, now) {
    const [names, images] = containerCells(templateSpec(ss));
    return { cells: [nameOf(ss), `${int(obj(ss['status'])['readyReplicas'])}/${desired(ss)}`, since(createdOf(ss), now), names, images] };
  },
};
