import { Migration } from '@mikro-orm/migrations';
import { dialectOfPlatform } from '../dialect.js';

const SQLITE =
  'create index `change_log_initiative_walk_index` on `change_log` (`initiative_id`, `id`, `workstream_id`)';
const POSTGRESQL =
  'create index "change_log_initiative_walk_index" on "change_log" ("initiative_id", "id", "workstream_id")';

/**
 * An initiative's change-log rows in the order they were logged, with their workstream: a
 * subtree's history walks them newest first and keeps its own. PostgreSQL answered a subtree's
 * history by walking the whole table's primary key backwards, through every newer row of the
 * other initiatives: 3 s for the root of a 10,000-workstream initiative whose 200,000 rows were
 * followed by another's 1,880,000.
 */
export class Migration20261207000000ChangeLogWalkIndex extends Migration {
  override name = 'Migration20261207000000ChangeLogWalkIndex';

  override up(): void {
    const dialect = dialectOfPlatform(this.driver.getPlatform());
    this.addSql(dialect === 'postgresql' ? POSTGRESQL : SQLITE);
  }
}
