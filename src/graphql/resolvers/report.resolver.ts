import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { canRead } from '../../domain/access.js';
import type { Locale } from '../../domain/item-status.js';
import { assertIsoDate } from '../../domain/tree-rules.js';
import { DomainError } from '../../domain/errors.js';
import { findListedInitiatives } from '../../db/queries/initiative.queries.js';
import { buildProgressReport } from '../../services/build-progress-report.js';
import type { Context } from '../context.type.js';
import { LocaleEnum } from '../enums.js';
import { badUserInput } from '../errors.js';

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
      description: 'YYYY-MM-DD for the title (第N周); default today (UTC).',
    })
    date: string | null,
  ): Promise<string> {
    const day = date ?? new Date().toISOString().slice(0, 10);
    try {
      assertIsoDate(day, 'date');
    } catch (err) {
      if (err instanceof DomainError) throw badUserInput(err.message, 'date');
      throw err;
    }
    const initiatives = (await findListedInitiatives(ctx.em)).filter((i) =>
      canRead(ctx.principal, i.id),
    );
    for (const i of initiatives) ctx.loaders.initiative.prime(i.id, i);
    const inputs = await Promise.all(
      initiatives.map(async (initiative) => ({
        initiative,
        tree: (await ctx.loaders.tree.load(initiative.id))!,
        details: (await ctx.loaders.reportDetails.load(initiative.id))!,
      })),
    );
    return buildProgressReport(ctx.em, inputs, day, locale);
  }
}
