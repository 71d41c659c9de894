/**
 * The team's week number: weeks start on Monday and week 1 holds 1 January (Excel's
 * WEEKNUM(date, 2)). 2023-05-13 is 第20周, as in the report; ISO would say 19.
 */
export function reportWeekNumber(isoDate: string): number {
  const date = new Date(`${isoDate}T00:00:00Z`);
  const jan1 = new Date(0);
  jan1.setUTCFullYear(date.getUTCFullYear(), 0, 1); // Date.UTC would read years 0–99 as 19xx
  const dayOfYear = Math.round((date.getTime() - jan1.getTime()) / 86_400_000);
  const jan1Weekday = (jan1.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return Math.floor((dayOfYear + jan1Weekday) / 7) + 1;
}
