import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LISTENER_NAME, PgDoorbell } from '../../src/services/live/pg-doorbell.js';
import { createTestDatabase, POSTGRES_URL, type TestDatabase } from '../helpers/databases.js';
import { asAdmin, databaseName } from '../helpers/pg-admin.js';

/** Listening connections to the database under test, as PostgreSQL counts them. */
const listeners = (db: TestDatabase) =>
  asAdmin(async (em) => {
    const [row] = await em.execute(
      'select count(*)::int as n from pg_stat_activity where datname = ? and application_name = ?',
      [databaseName(db.url), LISTENER_NAME],
    );
    return Number(row!.n);
  });

/**
 * The outbox listener loads the `pg` client and connects before it listens; a server stopped
 * during either wait must not leave a connection listening behind it.
 */
describe.skipIf(!POSTGRES_URL)('outbox listener stopped while it starts', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('postgresql');
  });
  afterAll(() => db?.drop());

  it('leaves no listening connection', async () => {
    const bell = new PgDoorbell(db.url, () => {}, pino({ level: 'silent' }));
    const started = bell.start();
    await bell.stop();
    await started;
    expect(bell.connections).toBe(0);
    expect(await listeners(db)).toBe(0);
  });

  it('listens once started, and stops listening when stopped', async () => {
    const bell = new PgDoorbell(db.url, () => {}, pino({ level: 'silent' }));
    await bell.start();
    expect(bell.connections).toBe(1);
    expect(await listeners(db)).toBe(1);
    await bell.stop();
    // The backend goes a moment after the client's end.
    for (let i = 0; i < 50 && (await listeners(db)) > 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await listeners(db)).toBe(0);
  });
});
