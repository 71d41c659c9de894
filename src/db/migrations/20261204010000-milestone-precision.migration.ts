import { Migration } from '@mikro-orm/migrations';
import { DUE_PRECISIONS } from '../../domain/milestone-rules.js';

/**
 * Milestones stored before `duePrecision` was checked may carry a precision the rules do not
 * know ("YEAR"), and every read of such a milestone's `overdue`, `slipDays` or report line
 * failed. Their date is the day the editor gave, so they become DAY: what the API stores for a
 * day given without a precision. Rows with a known precision are not touched.
 */
export class Migration20261204010000MilestonePrecision extends Migration {
  override name = 'Migration20261204010000MilestonePrecision';

  override up(): void {
    const known = DUE_PRECISIONS.map((p) => `'${p}'`).join(', ');
    for (const column of ['due_precision', 'original_due_precision'])
      this.addSql(`update milestone set ${column} = 'DAY' where ${column} not in (${known})`);
  }
}
