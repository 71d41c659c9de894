import { Migration } from '@mikro-orm/migrations';
import { dialectOfPlatform } from '../dialect.js';
import { liveDdl } from './live-ddl.js';

/**
 * Live events: the transactional outbox and its positions, each initiative's revision (kept
 * trees on every instance), the figures last published (figure events' "before"), webhooks and
 * their deliveries and attempts. Existing databases start with an empty outbox: figure events
 * begin at the first write after the upgrade.
 */
export class Migration20261130000000LiveEvents extends Migration {
  override name = 'Migration20261130000000LiveEvents';

  override up(): void {
    for (const sql of liveDdl(dialectOfPlatform(this.driver.getPlatform()))) this.addSql(sql);
  }
}
