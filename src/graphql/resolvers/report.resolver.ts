import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { Locale } from '../../domain/item-status.js';
import { assertIsoDate } from '../../domain/tree-rules.js';
import { DomainError } from '../../domain/errors.js';
import { escapeMarkdown } from '../../domain/markdown.js';
import { buildProgressReport } from '../../services/build-progress-report.js';
import { listedInitiativesAt } from '../initiatives-at.js';
import type { Context } from '../context.type.js';
import type { InitiativeRecord } from '../../db/records.js';
import { LocaleEnum } from '../enums.js';
import { COMPARE_TO, initiativeReportLines } from '../compare-lines.js';
import { badUserInput } from '../errors.js';
import { inOneSnapshot } from '../one-snapshot.js';
import { readTimeOf, treeOf } from '../read-time.js';
import { earlierTime } from '../../domain/series-times.js';
import { CLOCK_SKEW_MS } from '../../domain/effective-time.js';
import { endOfReportDay, reportDateOf } from '../../domain/report-day.js';
import { asBadInput } from '../time-views.js';

@Resolver()
export class ReportResolver {
  @Query(() => String, {
    description:
      'The weekly report as Markdown: 上周进展 (metrics, staged items, figures, milestones and written updates of every initiative not archived, grouped by objective in the report’s order), then 本周收获与反思 and 下周工作及目标.',
  })
  async weeklyReport(
    @Ctx() ctx: Context,
    @Arg('locale', () => LocaleEnum, { defaultValue: 'zh-CN' }) locale: Locale,
    @Arg('date', () => String, {
      nullable: true,
      description:
        'YYYY-MM-DD: the title (第N周) and the figures as of the end of that day (+08:00); default today in the report’s time zone (+08:00), live figures.',
    })
    date: string | null,
    @Arg('knownAt', () => Date, {
      nullable: true,
      description: 'As the report would have read at this time (reproduces a published report).',
    })
    knownAt: Date | null,
    @Arg('compareTo', () => Date, { nullable: true, description: COMPARE_TO })
    compareTo?: Date | null,
    @Arg('initiatives', () => [String], {
      nullable: true,
      description:
        'Keys: only these initiatives’ part of the report, as the whole report writes it (under their objectives, with the letters they have there), with their own written updates. A key not in the report (unknown, archived or not yet created at that time, or not readable) is BAD_USER_INPUT.',
    })
    only?: string[] | null,
  ): Promise<string> {
    // Today as the team's calendar has it: at 07:00 on a Monday in China, UTC still says Sunday.
    const day = date ?? reportDateOf(Date.now());
    try {
      assertIsoDate(day, 'date');
    } catch (err) {
      if (err instanceof DomainError) throw badUserInput(err.message, 'date');
      throw err;
    }
    // A day is read to its end, today to now (its end has not come); a later day is the
    // future, refused (a client's clock a minute ahead still has today).
    const now = Date.now();
    const today = reportDateOf(now + CLOCK_SKEW_MS);
    if (day > today) throw badUserInput(`date 不能晚于今天（${today}），收到 ${day}`, 'date');
    const time = readTimeOf(date ? new Date(Math.min(endOfReportDay(day), now)) : null, knownAt);
    // Checked once for the report, not per initiative (a day before any initiative has none).
    if (compareTo)
      asBadInput(() =>
        earlierTime(
          compareTo.getTime(),
          Math.min(time?.asOf ?? Date.now(), Date.now()),
          'compareTo',
        ),
      );
    // One snapshot for the whole report: a write landing between its reads cannot give a line
    // whose counts come from before it and whose percents from after.
    return inOneSnapshot(ctx, async (snapshot) => {
      // At a time: the initiatives listed then, with their names and objectives then.
      const initiatives = await listedInitiativesAt(snapshot, time);
      const part = only ? partOf(initiatives, only) : null;
      const inputs = await Promise.all(
        initiatives.map(async (initiative) => {
          const tree = await treeOf(snapshot, initiative, time);
          const lines = await initiativeReportLines(
            snapshot,
            initiative,
            tree,
            locale,
            compareTo,
            escapeMarkdown,
          );
          return { initiative, tree, lines };
        }),
      );
      return buildProgressReport(snapshot.em, inputs, day, locale, time, part);
    });
  }
}

/** The ids of the initiatives `keys` names, each of them in the report, or BAD_USER_INPUT. */
function partOf(listed: readonly InitiativeRecord[], keys: readonly string[]): Set<number> {
  if (keys.length === 0)
    throw badUserInput('initiatives 不能为空：省略它即是整份周报', 'initiatives');
  const byKey = new Map(listed.map((i) => [i.key, i.id]));
  const missing = [...new Set(keys)].filter((k) => !byKey.has(k));
  if (missing.length > 0)
    throw badUserInput(
      `周报里没有这些项目（不存在、当时已归档或尚未创建，或无权读取）：${missing.slice(0, 10).join('、')}`,
      'initiatives',
    );
  return new Set(keys.map((k) => byKey.get(k)!));
}
