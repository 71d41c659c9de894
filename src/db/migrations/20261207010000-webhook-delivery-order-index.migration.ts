import { Migration } from '@mikro-orm/migrations';

/** The same text on both databases. */
const SQL = [
  'drop index if exists webhook_delivery_webhook_id_index',
  'create index webhook_delivery_webhook_id_id_index on webhook_delivery (webhook_id, id)',
];

/**
 * An endpoint's deliveries in the order they were made, in place of the index on the endpoint
 * alone (which a delete's update by endpoint still uses, as its first column): listing a quiet
 * endpoint's deliveries, PostgreSQL walked the whole table's primary key back from its end
 * (2,000,000 newer deliveries of another endpoint: 434 ms).
 */
export class Migration20261207010000WebhookDeliveryOrderIndex extends Migration {
  override name = 'Migration20261207010000WebhookDeliveryOrderIndex';

  override up(): void {
    for (const sql of SQL) this.addSql(sql);
  }
}
