import { describe, expect, it } from 'vitest';
import { defaultFrom } from '../../../src/cli/history.command.js';

describe('history without --from: 12 steps before the last point (+08:00)', () => {
  const to = Date.parse('2023-05-13T23:59:59.999+08:00');
  it('steps back days and weeks exactly', () => {
    expect(defaultFrom(to, 'DAY')).toBe('2023-05-01T23:59:59.999+08:00');
    expect(defaultFrom(to, 'WEEK')).toBe('2023-02-18T23:59:59.999+08:00');
  });
  it('steps back calendar months in the team’s time zone, to a shorter month’s last day', () => {
    expect(defaultFrom(to, 'MONTH')).toBe('2022-05-13T23:59:59.999+08:00');
    // 2024-02-29 is a UTC day earlier than +08:00 shows at 07:00: the zone's day counts.
    expect(defaultFrom(Date.parse('2024-02-29T07:00:00.000+08:00'), 'MONTH')).toBe(
      '2023-02-28T07:00:00.000+08:00',
    );
    expect(defaultFrom(Date.parse('2023-03-31T12:00:00.000+08:00'), 'MONTH')).toBe(
      '2022-03-31T12:00:00.000+08:00',
    );
  });
});
