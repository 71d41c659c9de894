import type { ItemStatus, StatusLabelOverrides } from '../src/domain/item-status.js';

/** How a workstream's report line lists details of its done and in-progress items. */
export type ReportDetail = 'BY_NAME' | 'BY_PERCENT';

export interface SeedItem {
  readonly name: string;
  readonly status: ItemStatus;
  /** Whole number 0–100; defaults by status (DONE 100, NOT_STARTED 0, others 0). */
  readonly percent?: number;
  readonly note?: string;
  /** A stage of the workflow that governs its workstream; its credit follows the stage. */
  readonly stage?: string;
  readonly stageNote?: string;
  /** When it entered the stage (ISO time); absent: the seed's effective time. */
  readonly stageSince?: string;
}

/** A metric with its readings (values as decimal strings, exactly as the report writes them). */
export interface SeedMetric {
  /** A workstream of the initiative, by name; absent: the initiative itself. */
  readonly workstream?: string;
  readonly name: string;
  readonly unit?: string;
  readonly decimals: number;
  readonly direction: 'UP' | 'DOWN';
  readonly target?: string;
  readonly burnDown?: boolean;
  readonly group?: string;
  readonly category?: string;
  readonly readings: readonly {
    readonly value: string;
    readonly lowerBound?: boolean;
    readonly period?: string;
    readonly note?: string;
  }[];
}

export interface SeedMilestone {
  readonly workstream?: string;
  readonly name: string;
  /** YYYY-MM-DD or YYYY-MM. */
  readonly due: string;
  readonly duePrecision?: 'DAY' | 'WEEK' | 'MONTH';
  readonly note?: string;
}

/** A written update of the report's week; `objective` without the initiative: the objective's. */
export interface SeedUpdate {
  readonly section: 'PROGRESS' | 'REFLECTION' | 'NEXT_WEEK';
  /** The report's date (YYYY-MM-DD) it belongs to. */
  readonly week: string;
  readonly objective?: string;
  readonly body: string;
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
  /** The initiative's stage workflow (names; credits evenly spaced unless given). */
  readonly stages?: readonly { readonly name: string; readonly percent?: number }[];
  /** Named figures in header order; scope by top-level workstream name (absent: all). */
  readonly figures?: readonly {
    readonly name: string;
    readonly scope?: string;
    readonly policy?: Readonly<Record<string, string>>;
  }[];
  readonly metrics?: readonly SeedMetric[];
  readonly milestones?: readonly SeedMilestone[];
  readonly updates?: readonly SeedUpdate[];
}
