import { describe, expect, it } from 'vitest';
import { endOfReportDay, readTimeOfDay, reportDateOf } from '../../../src/domain/report-day.js';

describe('the time a report day is read at', () => {
  const now = Date.parse('2026-12-04T09:30:00Z'); // 17:30 on 12-04 in +08:00

  it('is the end of a past day, now during today, and the end of a later day (for refusal)', () => {
    expect(readTimeOfDay('2023-05-13', now)).toBe(Date.parse('2023-05-13T23:59:59.999+08:00'));
    expect(readTimeOfDay('2026-12-04', now)).toBe(now);
    expect(readTimeOfDay('2026-12-05', now)).toBe(endOfReportDay('2026-12-05'));
  });

  it('counts days in the team’s calendar: 20:00 UTC on the 5th is the 6th there', () => {
    const early = Date.parse('2026-12-05T20:00:00Z'); // 04:00 on 12-06 in +08:00
    expect(reportDateOf(early)).toBe('2026-12-06');
    expect(readTimeOfDay('2026-12-05', early)).toBe(endOfReportDay('2026-12-05'));
    expect(readTimeOfDay('2026-12-06', early)).toBe(early);
  });
});
