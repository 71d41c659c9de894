import { Migration } from '@mikro-orm/migrations';
import { dialectOfPlatform } from '../dialect.js';

/**
 * Archived initiatives (`initiative.archived_at`: out of lists and reports, still readable) and
 * an index of an initiative's live items in id order, so `Initiative.items` (and its search)
 * pages through one initiative's range instead of the whole table.
 */
export class Migration20261129020000ArchiveAndSearch extends Migration {
  override name = 'Migration20261129020000ArchiveAndSearch';

  override up(): void {
    if (dialectOfPlatform(this.driver.getPlatform()) === 'postgresql') {
      this.addSql('alter table "initiative" add "archived_at" timestamptz null');
      this.addSql(
        'create index "item_initiative_id_deleted_at_id_index" on "item" ("initiative_id", "deleted_at", "id")',
      );
    } else {
      this.addSql('alter table `initiative` add column `archived_at` datetime null');
      this.addSql(
        'create index `item_initiative_id_deleted_at_id_index` on `item` (`initiative_id`, `deleted_at`, `id`)',
      );
    }
  }
}
