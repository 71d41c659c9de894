import { ITEM_STATUSES } from '../src/domain/item-status.js';
import type { GeneratedInitiative } from './synthetic-data.js';

/**
 * The operations the bench sends and the checks on what comes back. A body passes only when it
 * is the right answer: the first dashboard answer is compared node by node with the counts the
 * generator wrote, and every later one must equal it byte for byte.
 */
export const TYPENAME = JSON.stringify({ query: '{ __typename }' });
const TYPENAME_ANSWER = '{"data":{"__typename":"Query"}}';
export const isTypenameAnswer = (body: Buffer): boolean =>
  body.toString().trimEnd() === TYPENAME_ANSWER;

const NODE_FIELDS = 'id name progress { percent total byStatus { status count } }';

/** Every node of the initiative with its progress, nested as deep as the tree goes. */
export function dashboardQuery(initiative: GeneratedInitiative, asOf?: string): string {
  let selection = NODE_FIELDS;
  for (let level = 0; level < initiative.maxDepth; level++)
    selection = `${NODE_FIELDS} children { ${selection} }`;
  const at = asOf ? `, asOf: "${asOf}"` : '';
  return JSON.stringify({
    query: `query Dashboard { initiative(key: "${initiative.key}"${at}) { workstreams { ${selection} } } }`,
  });
}

interface DashboardNode {
  id: string;
  progress: {
    percent: number | null;
    total: number;
    byStatus: { status: string; count: number }[];
  };
  children?: DashboardNode[];
}

const workstreamId = (globalId: string): number =>
  Number(
    Buffer.from(globalId, 'base64url')
      .toString('utf8')
      .replace(/^Workstream:/, ''),
  );

/** Throws unless the dashboard answer holds every workstream with the generator's counts. */
export function checkDashboard(body: string, initiative: GeneratedInitiative): void {
  const parsed = JSON.parse(body) as {
    data?: { initiative?: { workstreams: DashboardNode[] } };
    errors?: unknown;
  };
  if (parsed.errors || !parsed.data?.initiative)
    throw new Error(`dashboard ${initiative.key}: ${body.slice(0, 300)}`);
  let seen = 0;
  const visit = (node: DashboardNode) => {
    seen++;
    const expected = initiative.subtreeCounts.get(workstreamId(node.id));
    if (!expected) throw new Error(`dashboard ${initiative.key}: unknown node ${node.id}`);
    const counts = ITEM_STATUSES.map(
      (s) => node.progress.byStatus.find((b) => b.status === s)?.count ?? -1,
    );
    const total = expected.reduce((a, b) => a + b, 0);
    if (counts.join() !== expected.join() || node.progress.total !== total)
      throw new Error(
        `dashboard ${initiative.key}: node ${node.id} counts ${counts} ≠ ${expected}`,
      );
    node.children?.forEach(visit);
  };
  parsed.data.initiative.workstreams.forEach(visit);
  if (seen !== initiative.workstreamIds.length)
    throw new Error(
      `dashboard ${initiative.key}: ${seen} nodes, ${initiative.workstreamIds.length} expected`,
    );
}

/** A body that parses, has no error and holds the whole top level (an as-of dashboard). */
export function asOfAnswer(top: number): (body: Buffer) => boolean {
  return (body) => {
    const parsed = JSON.parse(body.toString()) as {
      data?: { initiative?: { workstreams: unknown[] } };
    };
    return !('errors' in parsed) && parsed.data?.initiative?.workstreams.length === top;
  };
}

export function reportLinesQuery(initiative: GeneratedInitiative): string {
  return JSON.stringify({ query: `{ initiative(key: "${initiative.key}") { reportLines } }` });
}

/** Throws unless the answer is the header and numbered lines of the initiative. */
export function checkReportLines(body: string, initiative: GeneratedInitiative): void {
  const lines = (JSON.parse(body) as { data?: { initiative?: { reportLines: string[] } } }).data
    ?.initiative?.reportLines;
  if (!lines || !lines[0]?.startsWith(`基准迁移-${initiative.key}总进度`) || lines.length < 2)
    throw new Error(`report lines ${initiative.key}: ${body.slice(0, 300)}`);
  lines.slice(1).forEach((line, i) => {
    if (!line.startsWith(`${i + 1}.`)) throw new Error(`report line ${i + 1}: ${line}`);
  });
}

const itemGlobalId = (id: number): string => Buffer.from(`Item:${id}`).toString('base64url');

/**
 * Status updates over a range of items: each request asks for a (status, percent) that differs
 * from the item's last one, and remembers it; an answer passes when it reports exactly one
 * pending request's item, status and percent, with no user error.
 */
export class StatusUpdates {
  private next = 0;
  private round = 0;
  private readonly pending = new Map<string, number>();

  constructor(
    private readonly firstItemId: number,
    private readonly itemCount: number,
  ) {}

  private take(): { id: number; status: string; percent: number } {
    const id = this.firstItemId + this.next;
    this.next = (this.next + 1) % this.itemCount;
    if (this.next === 0) this.round++;
    const percent = 1 + ((id + this.round * 37) % 98);
    const status = this.round % 2 === 0 ? 'IN_PROGRESS' : 'PAUSED';
    const key = `${id}:${status}:${percent}`;
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    return { id, status, percent };
  }

  private settle(key: string): boolean {
    const n = this.pending.get(key);
    if (!n) return false;
    if (n === 1) this.pending.delete(key);
    else this.pending.set(key, n - 1);
    return true;
  }

  /** One `setItemStatus`. */
  single = (): string => {
    const u = this.take();
    return JSON.stringify({
      query:
        'mutation Set($input: SetItemStatusInput!) { setItemStatus(input: $input) { item { id status percent } userErrors { code } } }',
      variables: { input: { itemId: itemGlobalId(u.id), status: u.status, percent: u.percent } },
    });
  };

  checkSingle = (body: Buffer): boolean => {
    const r = (JSON.parse(body.toString()) as { data?: { setItemStatus?: Payload } }).data
      ?.setItemStatus;
    return !!r?.item && r.userErrors.length === 0 && this.settle(keyOf(r.item));
  };

  /** One `setItemStatuses` of `size` items. */
  bulk = (size: number) => (): string => {
    const updates = Array.from({ length: size }, () => {
      const u = this.take();
      return { itemId: itemGlobalId(u.id), status: u.status, percent: u.percent };
    });
    return JSON.stringify({
      query:
        'mutation SetMany($input: SetItemStatusesInput!) { setItemStatuses(input: $input) { items { id status percent } userErrors { code } } }',
      variables: { input: { updates } },
    });
  };

  checkBulk =
    (size: number) =>
    (body: Buffer): boolean => {
      const r = (JSON.parse(body.toString()) as { data?: { setItemStatuses?: BulkPayload } }).data
        ?.setItemStatuses;
      return (
        !!r?.items &&
        r.items.length === size &&
        r.userErrors.length === 0 &&
        r.items.every((item) => this.settle(keyOf(item)))
      );
    };
}

interface AnsweredItem {
  id: string;
  status: string;
  percent: number;
}
interface Payload {
  item: AnsweredItem | null;
  userErrors: unknown[];
}
interface BulkPayload {
  items: AnsweredItem[] | null;
  userErrors: unknown[];
}

const keyOf = (item: AnsweredItem): string =>
  `${Buffer.from(item.id, 'base64url')
    .toString('utf8')
    .replace(/^Item:/, '')}:${item.status}:${item.percent}`;

/**
 * `text()` as UTF-8 bytes, encoded again only when it returns another string: the checks below
 * compare every answer of a load with bytes that seldom change.
 */
export function bytesOf(text: () => string): () => Buffer {
  let last: string | null = null;
  let bytes = Buffer.alloc(0);
  return () => {
    const now = text();
    if (now !== last) {
      last = now;
      bytes = Buffer.from(now);
    }
    return bytes;
  };
}

/** A check that a body equals `expected`, byte for byte (a 330 kB answer: one memcmp). */
export function sameAs(expected: () => string): (body: Buffer) => boolean {
  const want = bytesOf(expected);
  return (body) => body.equals(want());
}
