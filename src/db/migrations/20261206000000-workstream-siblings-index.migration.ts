import { Migration } from '@mikro-orm/migrations';
import { dialectOfPlatform } from '../dialect.js';

/**
 * A parent's live children, in order: what creating, moving and restoring a workstream asks
 * (the next free position, whether a workstream has children). Without it SQLite read every
 * live workstream of the initiative for each, and PostgreSQL, which has no index on
 * `parent_id`, every workstream of every initiative: an import into 8,000 new workstreams
 * spent 4 s on SQLite in the position query alone.
 */
export class Migration20261206000000WorkstreamSiblingsIndex extends Migration {
  override name = 'Migration20261206000000WorkstreamSiblingsIndex';

  override up(): void {
    if (dialectOfPlatform(this.driver.getPlatform()) === 'postgresql')
      this.addSql(
        'create index "workstream_initiative_id_parent_id_deleted_at_position_index" on "workstream" ("initiative_id", "parent_id", "deleted_at", "position")',
      );
    else
      this.addSql(
        'create index `workstream_initiative_id_parent_id_deleted_at_position_index` on `workstream` (`initiative_id`, `parent_id`, `deleted_at`, `position`)',
      );
  }
}
