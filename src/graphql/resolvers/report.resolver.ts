import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { Locale } from '../../domain/item-status.js';
import { assertIsoDate } from '../../domain/tree-rules.js';
import { escapeMarkdown } from '../../domain/markdown.js';
import { formatWeeklyReport } from '../../domain/weekly-report.js';
import { DomainError } from '../../domain/errors.js';
import { listedInitiativesAt } from '../initiatives-at.js';
import { reportLines } from '../../services/build-report.js';
import type { Context } from '../context.type.js';
import { LocaleEnum } from '../enums.js';
import { badUserInput } from '../errors.js';
import { endOfReportDay, readTimeOf, reportDetailsOf, treeOf } from '../read-time.js';

@Resolver()
export class ReportResolver {
  @Query(() => String, {
    description:
      'The progress part of the weekly report as Markdown: every initiative not archived, grouped by objective, in the report’s section shape.',
  })
  async weeklyReport(
    @Ctx() ctx: Context,
    @Arg('locale', () => LocaleEnum, { defaultValue: 'zh-CN' }) locale: Locale,
    @Arg('date', () => String, {
      nullable: true,
      description:
        'YYYY-MM-DD: the title (第N周) and the figures as of the end of that day (+08:00); default today (UTC), live figures.',
    })
    date: string | null,
    @Arg('knownAt', () => Date, {
      nullable: true,
      description: 'As the report would have read at this time (reproduces a published report).',
    })
    knownAt: Date | null,
  ): Promise<string> {
    const day = date ?? new Date().toISOString().slice(0, 10);
    try {
      assertIsoDate(day, 'date');
    } catch (err) {
      if (err instanceof DomainError) throw badUserInput(err.message, 'date');
      throw err;
    }
    const time = readTimeOf(date ? new Date(endOfReportDay(day)) : null, knownAt);
    // At a time: the initiatives listed then, with their names and objectives then.
    const initiatives = await listedInitiativesAt(ctx, time);
    const reports = await Promise.all(
      initiatives.map(async (i) => {
        const tree = await treeOf(ctx, i, time);
        const details = await reportDetailsOf(ctx, tree);
        return {
          name: i.name,
          objective: i.objective,
          lines: reportLines(tree, details, locale, escapeMarkdown),
        };
      }),
    );
    return formatWeeklyReport(reports, day, locale);
  }
}
