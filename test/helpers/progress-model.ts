/**
 * An independent model of an initiative for randomized tests: it keeps the tree and the items
 * the test created and computes each node's figure by brute force, in integers of 1e-6 item.
 */
export type Status =
  'NOT_STARTED' | 'IN_PROGRESS' | 'PAUSED' | 'DONE' | 'DECOMMISSIONABLE' | 'CANCELLED';
export const STATUSES: readonly Status[] = [
  'NOT_STARTED',
  'IN_PROGRESS',
  'PAUSED',
  'DONE',
  'DECOMMISSIONABLE',
  'CANCELLED',
];

export interface ModelItem {
  status: Status;
  percent: number;
  weight: number;
  version: number;
  deleted: boolean;
}
export interface ModelNode {
  id: string;
  parent: string | null;
  manual: { weight: number; percent: number } | null;
  deleted: boolean;
  items: Map<string, ModelItem>;
}

export class ProgressModel {
  readonly nodes = new Map<string, ModelNode>();

  live(): ModelNode[] {
    return [...this.nodes.values()].filter((n) => !n.deleted);
  }
  children(id: string | null): ModelNode[] {
    return this.live().filter((n) => n.parent === id);
  }
  depth(id: string): number {
    let d = 0;
    for (let p = this.nodes.get(id)!.parent; p; p = this.nodes.get(p)!.parent) d++;
    return d;
  }
  height(id: string): number {
    return 1 + Math.max(0, ...this.children(id).map((c) => this.height(c.id)));
  }
  isWithin(id: string, ancestor: string): boolean {
    for (let p: string | null = id; p; p = this.nodes.get(p)!.parent)
      if (p === ancestor) return true;
    return false;
  }
  liveItems(): [string, ModelItem, ModelNode][] {
    return this.live().flatMap((n) =>
      [...n.items]
        .filter(([, i]) => !i.deleted)
        .map(([id, i]) => [id, i, n] as [string, ModelItem, ModelNode]),
    );
  }
  deleteSubtree(id: string): void {
    for (const n of this.live()) if (this.isWithin(n.id, id)) n.deleted = true;
  }

  /** credit and counted (micro-items) and item total over the subtree of `id` (null: everything). */
  figure(id: string | null): { credit: number; counted: number; total: number } {
    let credit = 0;
    let counted = 0;
    let total = 0;
    for (const node of this.live()) {
      if (id !== null && !this.isWithin(node.id, id)) continue;
      if (node.manual) {
        const c = Math.round(node.manual.weight * 100);
        credit += c * Math.round(node.manual.percent * 100);
        counted += c * 10_000;
      }
      for (const item of node.items.values()) {
        if (item.deleted) continue;
        total += 1;
        counted += item.weight * 1_000_000;
        if (
          item.status === 'DONE' ||
          item.status === 'DECOMMISSIONABLE' ||
          item.status === 'CANCELLED'
        )
          credit += item.weight * 1_000_000;
        else if (item.status === 'IN_PROGRESS' || item.status === 'PAUSED')
          credit += item.weight * item.percent * 10_000;
      }
    }
    return { credit, counted, total };
  }
}
