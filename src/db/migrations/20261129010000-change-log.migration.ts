import { Migration } from '@mikro-orm/migrations';
import { dialectOfPlatform } from '../dialect.js';
import { baselineRows } from './baselines.js';
import { changeLogDdl, COPY_STATUS_CHANGES, ITEM_BASELINES } from './change-log-ddl.js';

/** The actor of the rows the upgrade writes. */
export const UPGRADE_ACTOR = 'upgrade';

/**
 * The complete, bitemporal change log (`change_log`) replaces `status_change`. Rows already
 * logged keep their ids and meaning (both times = when they were written). What the old log
 * lacks (workstream structure, weights, manual percents, policies, labels) is reconstructed as
 * baseline rows at the upgrade time: one per initiative, workstream and live item, each stating
 * the object's whole state then. Objects get `effective_from` = their creation time.
 */
export class Migration20261129010000ChangeLog extends Migration {
  override name = 'Migration20261129010000ChangeLog';

  private async run(sql: string, params: unknown[] = []): Promise<void> {
    await this.driver.execute(sql, params, 'run', this.ctx);
  }

  override async up(): Promise<void> {
    const dialect = dialectOfPlatform(this.driver.getPlatform());
    const now = new Date();
    const time = dialect === 'sqlite' ? now.getTime() : now;
    for (const sql of changeLogDdl(dialect)) await this.run(sql);
    for (const table of ['initiative', 'workstream', 'item'])
      await this.run(`update ${table} set effective_from = created_at`);
    await this.run(COPY_STATUS_CHANGES);
    if (dialect === 'postgresql') {
      await this.run(
        "select setval(pg_get_serial_sequence('change_log', 'id'), coalesce((select max(id) from change_log), 0) + 1, false)",
      );
    }
    const select = (sql: string) => this.driver.execute(sql, [], 'all', this.ctx);
    for (const { sql, params } of baselineRows(
      await select('select * from initiative order by id'),
      await select('select * from workstream order by id'),
      UPGRADE_ACTOR,
      time,
    ))
      await this.run(sql, params);
    await this.run(ITEM_BASELINES, [UPGRADE_ACTOR, time, time]);
    await this.run('drop table status_change');
  }
}
