import { effectiveTime } from '../domain/effective-time.js';
import { DomainError } from '../domain/errors.js';
import { MAX_NAMED_FIGURES } from '../domain/named-figures.js';
import { resolvePolicy } from '../domain/rollup-policy.js';
import { assertName } from '../domain/tree-rules.js';
import { replaceNamedFigures, type NamedFigureRow } from '../db/queries/report-records.queries.js';
import { initiativeInScope, workstreamOfInitiative } from './report-model-lookup.js';
import type { UseCase } from './write-pipeline/use-case.js';

export interface NamedFigureInput {
  readonly name: string;
  /** A workstream of the initiative whose subtree the figure covers; absent: everything. */
  readonly scopeWorkstreamId?: number | null;
  /** Overrides of the initiative's policy, per status (e.g. DECOMMISSIONABLE: EXCLUDED). */
  readonly policy?: Readonly<Record<string, string>> | null;
}

export interface DefineNamedFiguresProps {
  readonly initiativeId: number;
  /** The figures in header order (at most 10); an empty list removes them. */
  readonly figures: readonly NamedFigureInput[];
  readonly effectiveAt?: Date | null;
}

function check(props: DefineNamedFiguresProps) {
  if (props.figures.length > MAX_NAMED_FIGURES)
    throw new DomainError('TOO_MANY', `一个项目最多 ${MAX_NAMED_FIGURES} 个命名进度`, ['figures']);
  const names = new Set<string>();
  return props.figures.map((f, i) => {
    const name = assertName(f.name, ['figures', String(i), 'name']);
    if (names.has(name))
      throw new DomainError('INVALID_INPUT', `命名进度重名：${name}`, [
        'figures',
        String(i),
        'name',
      ]);
    names.add(name);
    try {
      resolvePolicy(f.policy);
    } catch (err) {
      if (err instanceof DomainError)
        throw new DomainError(err.code, err.message, ['figures', String(i), 'policy']);
      throw err;
    }
    return { ...f, name };
  });
}

/**
 * Sets an initiative's named figures (replacing the old list). The policy overrides go on top
 * of the initiative's own policy; a scope outside the initiative is NOT_FOUND.
 */
export const defineNamedFigures: UseCase<DefineNamedFiguresProps, NamedFigureRow[]> = {
  name: 'defineNamedFigures',
  validate: (props) => void check(props),
  async run({ tem, now, inScope }, props) {
    const figures = check(props);
    const initiative = await initiativeInScope(tem, props.initiativeId, inScope);
    const rows: NamedFigureRow[] = [];
    for (const [i, f] of figures.entries()) {
      const scope = f.scopeWorkstreamId ?? null;
      if (scope !== null)
        await workstreamOfInitiative(tem, initiative.id, scope, [
          'figures',
          String(i),
          'scopeWorkstreamId',
        ]);
      rows.push({
        initiativeId: initiative.id,
        position: i,
        name: f.name,
        scopeWorkstreamId: scope,
        policy: f.policy ? JSON.stringify(f.policy) : null,
      });
    }
    const effectiveAt = effectiveTime(props.effectiveAt, now, initiative.effectiveFrom, [
      'effectiveAt',
    ]);
    await replaceNamedFigures(tem, initiative.id, rows);
    return {
      result: rows,
      events: [
        {
          type: 'NamedFiguresSet',
          initiativeId: initiative.id,
          figures: rows.map((r) => ({ name: r.name, scopeWorkstreamId: r.scopeWorkstreamId })),
          effectiveAt,
        },
      ],
    };
  },
};
