import { Migration } from '@mikro-orm/migrations';

/** As the change-log entity declares it (the same text on both databases). */
const WALK_INDEX =
  'create index change_log_initiative_walk_index on change_log (initiative_id, id, workstream_id) where workstream_id is not null';

/**
 * An initiative's change-log rows in a workstream, in the order they were logged: a subtree's
 * history walks them newest first and keeps its own (partial: see the change-log entity).
 * PostgreSQL answered a subtree's history by walking the whole table's primary key backwards,
 * through every newer row of the other initiatives: 3 s for the root of a 10,000-workstream
 * initiative whose 200,000 rows were followed by another's 1,880,000.
 */
export class Migration20261207000000ChangeLogWalkIndex extends Migration {
  override name = 'Migration20261207000000ChangeLogWalkIndex';

  override up(): void {
    this.addSql(WALK_INDEX);
  }
}
