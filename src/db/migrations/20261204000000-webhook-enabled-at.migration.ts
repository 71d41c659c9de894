import { Migration } from '@mikro-orm/migrations';
import { dialectOfPlatform } from '../dialect.js';

/**
 * When an endpoint was last enabled again after being disabled: it receives what commits from
 * then on, as a new endpoint receives what commits after it was made. Before this, events
 * written while it was disabled reached it or not depending on whether the fan-out had passed
 * them before it was enabled again. Endpoints never disabled have none (their creation counts).
 */
export class Migration20261204000000WebhookEnabledAt extends Migration {
  override name = 'Migration20261204000000WebhookEnabledAt';

  override up(): void {
    if (dialectOfPlatform(this.driver.getPlatform()) === 'postgresql')
      this.addSql('alter table "webhook" add "enabled_at" timestamptz null');
    else this.addSql('alter table `webhook` add column `enabled_at` datetime null');
  }
}
