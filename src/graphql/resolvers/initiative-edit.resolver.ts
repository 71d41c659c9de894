import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import {
  archiveInitiative,
  restoreInitiative,
  type ArchiveInitiativeProps,
} from '../../services/archive-initiative.js';
import { updateInitiative } from '../../services/update-initiative.js';
import { runWrite } from '../../services/write-pipeline/run-write.js';
import type { UseCase } from '../../services/write-pipeline/use-case.js';
import type { InitiativeRecord } from '../../db/records.js';
import { adminScope } from '../access.js';
import type { Context } from '../context.type.js';
import { withUserErrors } from '../errors.js';
import {
  ArchiveInitiativeInput,
  RestoreInitiativeInput,
  UpdateInitiativeInput,
} from '../inputs/initiative-edit.input.js';
import { labelsOf, policyOf } from '../inputs/initiative-settings.js';
import { InitiativeType } from '../types/initiative.type.js';
import { InitiativePayload } from '../types/payloads.type.js';
import { writeContextOf } from '../write-context.js';
import { idOf } from './ids.js';

/**
 * An initiative's own settings and its archiving: admin operations (an admin of every
 * initiative or of this one), since a policy or label change re-figures everyone's report.
 */
@Resolver()
export class InitiativeEditResolver {
  @Mutation(() => InitiativePayload, {
    description:
      'Changes an initiative’s name, objective, phase, target date, rollup policy, status labels or low-percent bucket (admin); each change is logged.',
  })
  async updateInitiative(
    @Arg('input', () => UpdateInitiativeInput) input: UpdateInitiativeInput,
    @Ctx() ctx: Context,
  ): Promise<InitiativePayload> {
    const scope = adminScope(ctx);
    const { value, userErrors } = await withUserErrors(() =>
      runWrite(writeContextOf(ctx, scope), updateInitiative, {
        initiativeId: idOf(input.initiativeId, 'Initiative', ['initiativeId']),
        name: input.name,
        objective: input.objective,
        phase: input.phase,
        targetDate: input.targetDate,
        rollupPolicy: policyOf(input.rollupPolicy),
        statusLabels: labelsOf(input.statusLabels),
        reportLowPercentBucket: input.reportLowPercentBucket,
        effectiveAt: input.effectiveAt,
      }),
    );
    return { initiative: value ? new InitiativeType(value) : null, userErrors };
  }

  @Mutation(() => InitiativePayload, {
    description:
      'Archives an initiative (admin): out of initiatives, weeklyReport and report --all; still readable by key; restoreInitiative brings it back.',
  })
  archiveInitiative(
    @Arg('input', () => ArchiveInitiativeInput) input: ArchiveInitiativeInput,
    @Ctx() ctx: Context,
  ): Promise<InitiativePayload> {
    return archiving(ctx, archiveInitiative, input.initiativeId);
  }

  @Mutation(() => InitiativePayload, {
    description: 'Brings an archived initiative back into lists and reports (admin).',
  })
  restoreInitiative(
    @Arg('input', () => RestoreInitiativeInput) input: RestoreInitiativeInput,
    @Ctx() ctx: Context,
  ): Promise<InitiativePayload> {
    return archiving(ctx, restoreInitiative, input.initiativeId);
  }
}

async function archiving(
  ctx: Context,
  useCase: UseCase<ArchiveInitiativeProps, InitiativeRecord>,
  initiativeId: string,
): Promise<InitiativePayload> {
  const scope = adminScope(ctx);
  const { value, userErrors } = await withUserErrors(() =>
    runWrite(writeContextOf(ctx, scope), useCase, {
      initiativeId: idOf(initiativeId, 'Initiative', ['initiativeId']),
    }),
  );
  return { initiative: value ? new InitiativeType(value) : null, userErrors };
}
