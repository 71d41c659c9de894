import type { ItemStatus, StatusLabelOverrides } from '../src/domain/item-status.js';

/** How a workstream's report line lists details of its done and in-progress items. */
export type ReportDetail = 'BY_NAME' | 'BY_PERCENT';

export interface SeedItem {
  readonly name: string;
  readonly status: ItemStatus;
  /** Whole number 0–100; defaults by status (DONE 100, NOT_STARTED 0, others 0). */
  readonly percent?: number;
  readonly note?: string;
}

export interface SeedWorkstream {
  readonly name: string;
  readonly phase?: string;
  /** Weight in item-equivalents; only counts for manual-percent workstreams. */
  readonly weight?: number;
  /** Percent (up to two decimals) for work that is not itemized. */
  readonly manualPercent?: number;
  /** ISO date (YYYY-MM-DD). */
  readonly targetDate?: string;
  readonly reportDetail?: ReportDetail;
  readonly items?: readonly SeedItem[];
  readonly children?: readonly SeedWorkstream[];
}

export interface SeedInitiative {
  readonly key: string;
  readonly name: string;
  /** The weekly report's section, e.g. 【O2系统升级】. */
  readonly objective?: string;
  readonly phase?: string;
  readonly targetDate?: string;
  readonly statusLabels?: StatusLabelOverrides;
  /** In-progress items under this percent collapse into one report bucket (Hive: 20). */
  readonly reportLowPercentBucket?: number;
  /** When the seeded state held (ISO time): every seeded row is logged as effective then. */
  readonly effectiveAt?: string;
  readonly workstreams: readonly SeedWorkstream[];
}
