import type { Database, Statement } from 'better-sqlite3';
import type { FigureChange, FigureValue } from '../domain/live-events.js';
import type { InitiativeRecord } from './records.js';

/** Beyond this many kept figures and paths together, everything kept is dropped. */
const MAX_KEPT = 200_000;

/** What one write transaction read and wrote, kept only if it commits. */
interface Pending {
  /** `data_version` inside the transaction (read once its snapshot is taken); null: not yet. */
  dataVersion: number | null;
  /** The write published figures through the pipeline (see `published`). */
  published: boolean;
  /** A savepoint was rolled back: what was noted may not have been written. */
  unsure: boolean;
  readonly reads: { initiativeId: number; nodeId: number; value: FigureValue }[];
  readonly paths: { initiativeId: number; workstreamId: number; path: readonly number[] }[];
  readonly initiatives: InitiativeRecord[];
  readonly writes: { initiativeId: number; changes: readonly FigureChange[] }[];
  /** Initiatives whose tree was folded: they, or their workstreams, may have changed or gone. */
  readonly folded: Set<number>;
}

/**
 * On a SQLite server, the figures last published (the `figure_state` rows), the paths of the
 * workstreams an item-only write touched and their initiatives' rows, kept between writes. Each
 * write needs them to publish its figure changes (write-record.queries.ts); reading them was
 * three statements a write, and for a 100-item write about a tenth of its SQL.
 *
 * Kept values are the rows as of the last commit, exactly, or nothing:
 * - a write transaction's reads and figure writes are noted as it goes and kept only when its
 *   `commit` succeeds (the connection calls `committed` right after the statement, before any
 *   other statement can run on it); a rollback keeps nothing of it;
 * - any other commit on this connection (a transaction that did not publish figures, or a
 *   statement outside one) moves `total_changes()` without passing here: the next write sees
 *   the count differ from the one stamped at the last kept commit and drops everything;
 * - another connection's commit (`jindu import` in another process) moves `data_version`,
 *   read inside the write once its snapshot is taken (SQLite holds the write lock from the
 *   write's first statement, so nothing else commits until it ends): everything is dropped;
 * - a write that folds an initiative's tree (moves, deletions, policies, the initiative's own
 *   settings) drops that initiative's paths and row at commit.
 * PostgreSQL keeps nothing: several instances write there.
 */
export class PublishedFigures {
  private readonly figures = new Map<number, Map<number, FigureValue>>();
  private readonly paths = new Map<number, Map<number, readonly number[]>>();
  private readonly initiatives = new Map<number, InitiativeRecord>();
  /** `total_changes()` and `data_version` right after the last commit kept; null: none kept. */
  private stamp: { changes: number; dataVersion: number } | null = null;
  private pending: Pending | null = null;
  private readonly totalChanges: Statement;
  private readonly dataVersionNow: Statement;

  constructor(db: Database) {
    this.totalChanges = db.prepare('select total_changes()').pluck();
    // The pragma itself, prepared once: its table-valued form (`pragma_data_version()`) prepares
    // the pragma again on every run (token-cache.ts measured the same choice).
    this.dataVersionNow = db.prepare('pragma data_version').pluck();
  }

  /** The connection began a transaction. */
  began(): void {
    if (this.stamp !== null && this.stamp.changes !== this.changesNow()) this.forget();
    this.pending = {
      dataVersion: null,
      published: false,
      unsure: false,
      reads: [],
      paths: [],
      initiatives: [],
      writes: [],
      folded: new Set(),
    };
  }

  /** The connection's `commit` succeeded. */
  committed(): void {
    const pending = this.pending;
    this.pending = null;
    if (!pending || !pending.published || pending.unsure || pending.dataVersion === null) {
      this.forget();
      return;
    }
    for (const r of pending.reads) this.setFigure(r.initiativeId, r.nodeId, r.value);
    for (const p of pending.paths) {
      let own = this.paths.get(p.initiativeId);
      if (!own) this.paths.set(p.initiativeId, (own = new Map()));
      own.set(p.workstreamId, p.path);
    }
    for (const w of pending.writes)
      for (const c of w.changes)
        if (c.after) this.setFigure(w.initiativeId, c.nodeId, c.after);
        else this.figures.get(w.initiativeId)?.delete(c.nodeId);
    for (const initiative of pending.initiatives) this.initiatives.set(initiative.id, initiative);
    for (const id of pending.folded) {
      this.paths.delete(id);
      this.initiatives.delete(id);
    }
    if (this.size > MAX_KEPT) this.forget();
    else this.stamp = { changes: this.changesNow(), dataVersion: pending.dataVersion };
  }

  /** The transaction ended without committing. */
  rolledBack(): void {
    this.pending = null;
  }

  /** A savepoint inside the transaction was rolled back. */
  savepointRolledBack(): void {
    if (this.pending) this.pending.unsure = true;
  }

  /**
   * Inside a write transaction, after its first write: true when kept values may be read. Reads
   * `data_version` once per transaction and drops everything when another connection committed.
   */
  open(): boolean {
    const pending = this.pending;
    if (!pending) return false;
    if (pending.dataVersion === null) {
      pending.dataVersion = Number(this.dataVersionNow.get());
      if (this.stamp !== null && this.stamp.dataVersion !== pending.dataVersion) this.forget();
    }
    return true;
  }

  /** The kept row of an initiative, if kept. */
  initiative(initiativeId: number): InitiativeRecord | undefined {
    return this.initiatives.get(initiativeId);
  }

  /** The transaction read an initiative's row. */
  readInitiative(initiative: InitiativeRecord): void {
    this.pending?.initiatives.push(initiative);
  }

  /** The kept path of a live workstream (its ancestors' ids and its own), if kept. */
  path(initiativeId: number, workstreamId: number): readonly number[] | undefined {
    return this.paths.get(initiativeId)?.get(workstreamId);
  }

  /** The kept published figure of a node, if kept. */
  figure(initiativeId: number, nodeId: number): FigureValue | undefined {
    return this.figures.get(initiativeId)?.get(nodeId);
  }

  /** The transaction read a live workstream's path. */
  readPath(initiativeId: number, workstreamId: number, path: readonly number[]): void {
    this.pending?.paths.push({ initiativeId, workstreamId, path });
  }

  /** The transaction read a node's published figure. */
  readFigure(initiativeId: number, nodeId: number, value: FigureValue): void {
    this.pending?.reads.push({ initiativeId, nodeId, value });
  }

  /** The transaction wrote these figure rows (the pipeline's publication). */
  wrote(initiativeId: number, changes: readonly FigureChange[], folded: boolean): void {
    const pending = this.pending;
    if (!pending) return;
    pending.published = true;
    pending.writes.push({ initiativeId, changes });
    if (folded) pending.folded.add(initiativeId);
  }

  /** How many figures and paths are kept. */
  get size(): number {
    let n = 0;
    for (const own of this.figures.values()) n += own.size;
    for (const own of this.paths.values()) n += own.size;
    return n;
  }

  private setFigure(initiativeId: number, nodeId: number, value: FigureValue): void {
    let own = this.figures.get(initiativeId);
    if (!own) this.figures.set(initiativeId, (own = new Map()));
    own.set(nodeId, value);
  }

  private changesNow(): number {
    return Number(this.totalChanges.get());
  }

  private forget(): void {
    this.figures.clear();
    this.paths.clear();
    this.initiatives.clear();
    this.stamp = null;
  }
}
