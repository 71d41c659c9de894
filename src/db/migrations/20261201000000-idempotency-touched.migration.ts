import { Migration } from '@mikro-orm/migrations';
import { dialectOfPlatform } from '../dialect.js';

/**
 * What the first run of an idempotent write touched (its initiatives, workstreams and items,
 * as JSON), kept beside its answer: a retry answers the same `affectedNodes` as the first run,
 * so a client that retries after a timeout updates the same cache entries. Answers kept
 * before this have none, and their retries list no affected nodes, as before.
 */
export class Migration20261201000000IdempotencyTouched extends Migration {
  override name = 'Migration20261201000000IdempotencyTouched';

  override up(): void {
    if (dialectOfPlatform(this.driver.getPlatform()) === 'postgresql')
      this.addSql('alter table "idempotency_record" add "touched" text null');
    else this.addSql('alter table `idempotency_record` add column `touched` text null');
  }
}
