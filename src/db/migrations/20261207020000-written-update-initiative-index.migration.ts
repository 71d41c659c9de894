import { Migration } from '@mikro-orm/migrations';

/** The same text on both databases. */
const SQL =
  'create index written_update_initiative_id_effective_at_index on written_update (initiative_id, effective_at)';

/**
 * An initiative's written updates in posting order (its `updates`): they were read by scanning
 * every initiative's, which the table keeps for good (a few a week per initiative).
 */
export class Migration20261207020000WrittenUpdateInitiativeIndex extends Migration {
  override name = 'Migration20261207020000WrittenUpdateInitiativeIndex';

  override up(): void {
    this.addSql(SQL);
  }
}
