/**
 * Item statuses, in the fixed order every `byStatus` list uses, and their labels.
 * Initiatives may override a label (Hive says 取消迁移 where the default says 取消).
 */
export const ITEM_STATUSES = [
  'NOT_STARTED',
  'IN_PROGRESS',
  'PAUSED',
  'DONE',
  'DECOMMISSIONABLE',
  'CANCELLED',
] as const;

export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** Per-locale label overrides, as an initiative stores them. */
export type StatusLabelOverrides = Partial<Record<Locale, Partial<Record<ItemStatus, string>>>>;

const LABELS: Readonly<Record<Locale, Readonly<Record<ItemStatus, string>>>> = {
  'zh-CN': {
    NOT_STARTED: '未启动',
    IN_PROGRESS: '处理中',
    PAUSED: '暂停',
    DONE: '完成',
    DECOMMISSIONABLE: '可下线',
    CANCELLED: '取消',
  },
  en: {
    NOT_STARTED: 'not started',
    IN_PROGRESS: 'in progress',
    PAUSED: 'paused',
    DONE: 'done',
    DECOMMISSIONABLE: 'can be retired',
    CANCELLED: 'cancelled',
  },
};

export function isItemStatus(value: unknown): value is ItemStatus {
  return typeof value === 'string' && (ITEM_STATUSES as readonly string[]).includes(value);
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The label of a status in a locale, with the initiative's override when it has one. */
export function statusLabel(
  status: ItemStatus,
  locale: Locale = DEFAULT_LOCALE,
  overrides?: StatusLabelOverrides | null,
): string {
  return overrides?.[locale]?.[status] ?? LABELS[locale][status];
}

/** Exhaustiveness guard for switches over closed unions. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}
