import type { ItemChange } from '../../domain/live-events.js';
import { toGlobalId } from '../../domain/global-id.js';

/** An item's change as clients see it, live or by webhook: global ids, no internal numbers. */
export function itemChangeView(i: ItemChange) {
  return {
    itemId: toGlobalId('Item', i.itemId),
    workstreamId: toGlobalId('Workstream', i.workstreamId),
    type: i.type,
    status: i.status,
    percent: i.percent,
    version: i.version,
  };
}
