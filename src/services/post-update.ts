import { effectiveTime } from '../domain/effective-time.js';
import { DomainError } from '../domain/errors.js';
import { checkText } from '../domain/text-rules.js';
import { assertWrittenDate } from '../domain/tree-rules.js';
import { insertUpdate, type UpdateRow } from '../db/queries/report-records.queries.js';
import { initiativeInScope } from './report-model-lookup.js';
import type { UseCase } from './write-pipeline/use-case.js';

/** Where a written update goes in the report. */
export const UPDATE_SECTIONS = ['PROGRESS', 'REFLECTION', 'NEXT_WEEK'] as const;
export type UpdateSection = (typeof UPDATE_SECTIONS)[number];

export interface PostUpdateProps {
  /** The initiative it is about; absent: an objective's (or the whole report's) update. */
  readonly initiativeId?: number | null;
  /** The report section (【O3 安全稳定、降本提效】) of an update without initiative. */
  readonly objective?: string | null;
  readonly section: UpdateSection;
  /** The report's date (YYYY-MM-DD) the update belongs to. */
  readonly week: string;
  /** Free text, several lines allowed (a numbered list keeps its shape). */
  readonly body: string;
  readonly effectiveAt?: Date | null;
}

function check(props: PostUpdateProps) {
  if (!UPDATE_SECTIONS.includes(props.section))
    throw new DomainError('INVALID_INPUT', '段落必须是 PROGRESS、REFLECTION 或 NEXT_WEEK', [
      'section',
    ]);
  assertWrittenDate(props.week, 'week');
  const body = checkText(props.body, {
    field: ['body'],
    shape: 'multiline',
    max: 10_000,
    label: '内容',
  });
  if (body === null) throw new DomainError('INVALID_INPUT', '内容不能为空', ['body']);
  const objective =
    props.objective === null || props.objective === undefined
      ? null
      : checkText(props.objective, { field: ['objective'], shape: 'line', max: 200 });
  return { body, objective };
}

/**
 * Posts a written update: what numbers do not say (a narrative bullet, 本周收获与反思,
 * 下周工作及目标), with its author and time. An update without an initiative is the GraphQL
 * edge's to allow (editors of every initiative only).
 */
export const postUpdate: UseCase<PostUpdateProps, UpdateRow> = {
  name: 'postUpdate',
  validate: (props) => void check(props),
  async run({ tem, now, actor, inScope }, props) {
    const { body, objective } = check(props);
    const initiativeId = props.initiativeId ?? null;
    const initiative =
      initiativeId === null ? null : await initiativeInScope(tem, initiativeId, inScope);
    const effectiveAt = effectiveTime(props.effectiveAt, now, initiative?.effectiveFrom ?? null, [
      'effectiveAt',
    ]);
    const row = await insertUpdate(tem, {
      initiativeId,
      objective: initiative ? null : objective,
      section: props.section,
      week: props.week,
      body,
      author: actor,
      effectiveAt,
      recordedAt: now,
    });
    return {
      result: row,
      // The update's own row is its record; an initiative's update is also in that initiative's log.
      events: initiative
        ? [
            {
              type: 'UpdatePosted',
              initiativeId: initiative.id,
              updateId: row.id,
              week: row.week,
              effectiveAt,
            },
          ]
        : [],
    };
  },
};
