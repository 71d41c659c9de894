import { describe, expect, it } from 'vitest';
import { pgConnectionOptions, shownDatabaseUrl } from '../../../src/db/pg-url.js';

describe('a PostgreSQL URL', () => {
  it('gives the pool every parameter but the database, which MikroORM sets', () => {
    const options = pgConnectionOptions(
      'postgres://u:p%40ss@db.example:5433/jindu?sslmode=verify-full&application_name=x&options=-c%20search_path%3Dy',
    );
    expect(options).toMatchObject({
      host: 'db.example',
      port: 5433,
      user: 'u',
      password: 'p@ss',
      application_name: 'x',
      options: '-c jit=off -c search_path=y',
    });
    expect(options.ssl).toBeTypeOf('object');
    expect('database' in options).toBe(false);
    expect(pgConnectionOptions('postgres://u@/jindu?host=/var/run/postgresql')).toMatchObject({
      host: '/var/run/postgresql',
    });
  });

  it("starts every session with JIT off, then PGOPTIONS' or the URL's own options", () => {
    const before = process.env.PGOPTIONS;
    try {
      delete process.env.PGOPTIONS;
      expect(pgConnectionOptions('postgres://h/db').options).toBe('-c jit=off');
      process.env.PGOPTIONS = '-c work_mem=8MB';
      expect(pgConnectionOptions('postgres://h/db').options).toBe('-c jit=off -c work_mem=8MB');
      expect(pgConnectionOptions('postgres://h/db?options=-c%20jit%3Don').options).toBe(
        '-c jit=off -c jit=on',
      );
    } finally {
      if (before === undefined) delete process.env.PGOPTIONS;
      else process.env.PGOPTIONS = before;
    }
  });

  // `password=` is read as a password since the URL's parameters reach the pool: it must not
  // reach a log line either.
  it('is shown without its passwords', () => {
    expect(shownDatabaseUrl('postgres://u:secret@h:5432/db?password=s3&sslpassword=k&x=1')).toBe(
      'postgres://***@h:5432/db?password=***&sslpassword=***&x=1',
    );
    expect(shownDatabaseUrl('postgresql://h/db?PASSWORD=s3')).toBe(
      'postgresql://h/db?PASSWORD=***',
    );
    expect(shownDatabaseUrl('sqlite:./data/jindu.sqlite')).toBe('sqlite:./data/jindu.sqlite');
  });
});
