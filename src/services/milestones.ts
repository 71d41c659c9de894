import { reportDateOf } from '../domain/report-day.js';
import { effectiveTime } from '../domain/effective-time.js';
import { DomainError, notFound } from '../domain/errors.js';
import {
  MAX_MILESTONES,
  duePrecision,
  parseDay,
  parseDue,
  type Due,
  type DuePrecision,
} from '../domain/milestone-rules.js';
import { assertName, cleanNote } from '../domain/tree-rules.js';
import {
  findMilestone,
  findMilestones,
  saveMilestone,
  type MilestoneRow,
} from '../db/queries/report-records.queries.js';
import { initiativeInScope, workstreamOfInitiative } from './report-model-lookup.js';
import type { UseCase } from './write-pipeline/use-case.js';

export interface SetMilestoneProps {
  /** Absent: a new milestone of `initiativeId`; given: that milestone, changed. */
  readonly milestoneId?: number | null;
  readonly initiativeId?: number | null;
  readonly workstreamId?: number | null;
  readonly name?: string | null;
  /** YYYY-MM-DD or YYYY-MM; a new due date keeps the first one for slipDays. */
  readonly due?: string | null;
  readonly duePrecision?: string | null;
  /** YYYY-MM-DD when it was reached; "" clears it. */
  readonly doneDate?: string | null;
  readonly note?: string | null;
  readonly effectiveAt?: Date | null;
}

function checked(props: SetMilestoneProps) {
  return {
    precision: duePrecision(props.duePrecision),
    name: props.name === null || props.name === undefined ? null : assertName(props.name, ['name']),
    due:
      props.due === null || props.due === undefined
        ? null
        : parseDue(props.due, duePrecision(props.duePrecision), ['due']),
    doneDate:
      props.doneDate === null || props.doneDate === undefined
        ? undefined
        : props.doneDate === ''
          ? null
          : parseDay(props.doneDate, ['doneDate']),
    note: props.note === undefined ? undefined : cleanNote(props.note, ['note']),
  };
}

/**
 * The stored due date under a precision given without a date (it used to be checked and then
 * ignored): a day's or a week's month, or the week holding a day. A month has no day to become:
 * that needs `due`.
 */
function withPrecision(old: MilestoneRow, precision: DuePrecision): Due {
  if (precision === 'MONTH') return { date: `${old.dueDate.slice(0, 7)}-01`, precision };
  if (old.duePrecision === 'MONTH')
    throw new DomainError(
      'INVALID_INPUT',
      `预计日期是月份（${old.dueDate.slice(0, 7)}），改为 ${precision} 需要同时给出 due（哪一天）`,
      ['due'],
    );
  return { date: old.dueDate, precision };
}

/** Creates a milestone on an initiative (or one of its workstreams), or changes one. */
export const setMilestone: UseCase<SetMilestoneProps, MilestoneRow> = {
  name: 'setMilestone',
  validate: (props) => void checked(props),
  async run({ tem, now, inScope }, props) {
    const c = checked(props);
    let row: Omit<MilestoneRow, 'id'> & { id?: number };
    if (props.milestoneId !== null && props.milestoneId !== undefined) {
      const old = await findMilestone(tem, props.milestoneId);
      if (!old || !inScope(old.initiativeId)) throw notFound('里程碑', ['milestoneId']);
      const due = c.due ?? (c.precision ? withPrecision(old, c.precision) : null);
      row = {
        ...old,
        name: c.name ?? old.name,
        dueDate: due?.date ?? old.dueDate,
        duePrecision: due?.precision ?? old.duePrecision,
        doneDate: c.doneDate === undefined ? old.doneDate : c.doneDate,
        note: c.note === undefined ? old.note : c.note,
      };
    } else {
      if (props.initiativeId === null || props.initiativeId === undefined)
        throw new DomainError('INVALID_INPUT', '新里程碑需要 initiativeId', ['initiativeId']);
      if (!c.name || !c.due)
        throw new DomainError('INVALID_INPUT', '新里程碑需要名称和预计日期', [
          c.name ? 'due' : 'name',
        ]);
      const initiative = await initiativeInScope(tem, props.initiativeId, inScope);
      const wsId = props.workstreamId ?? null;
      if (wsId !== null) await workstreamOfInitiative(tem, initiative.id, wsId, ['workstreamId']);
      if ((await findMilestones(tem, [initiative.id])).length >= MAX_MILESTONES)
        throw new DomainError('TOO_MANY', `一个项目最多 ${MAX_MILESTONES} 个里程碑`, ['name']);
      row = {
        initiativeId: initiative.id,
        workstreamId: wsId,
        name: c.name,
        dueDate: c.due.date,
        duePrecision: c.due.precision,
        originalDueDate: c.due.date,
        originalDuePrecision: c.due.precision,
        doneDate: c.doneDate ?? null,
        note: c.note ?? null,
      };
    }
    const initiative = await initiativeInScope(tem, row.initiativeId, inScope);
    const effectiveAt = effectiveTime(props.effectiveAt, now, initiative.effectiveFrom, [
      'effectiveAt',
    ]);
    // 已于1/1评审 states a fact: a done date after the day the write takes effect is not one yet.
    const day = reportDateOf(effectiveAt.getTime());
    if (c.doneDate && c.doneDate > day)
      throw new DomainError(
        'INVALID_INPUT',
        `完成日期 ${c.doneDate} 晚于生效日 ${day}：还没有完成的里程碑请不填完成日期`,
        ['doneDate'],
      );
    const saved = await saveMilestone(tem, row);
    return {
      result: saved,
      events: [
        {
          type: 'MilestoneSet',
          initiativeId: saved.initiativeId,
          milestoneId: saved.id,
          name: saved.name,
          due: saved.dueDate,
          doneDate: saved.doneDate,
          duePrecision: saved.duePrecision,
          milestoneNote: saved.note,
          scopeWorkstreamId: saved.workstreamId,
          effectiveAt,
        },
      ],
    };
  },
};
