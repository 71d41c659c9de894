/**
 * The one place numbers are rounded for people. Figures are exact integers (micro-items) until
 * here; rounding is half-up on the exact rational, done in BigInt so 86.105 can never become 86.10.
 * One exception: work not yet all done never reads 100 (99.995 with an item left at 99% reads
 * 99.99, not 100.00), since a PM reads 100% as "finished". The dashboard imports this module.
 */
export function formatRatioPercent(credit: number, counted: number, decimals = 2): string | null {
  if (counted === 0) return null;
  const scale = 10n ** BigInt(decimals);
  const num = BigInt(credit) * 100n * scale * 2n + BigInt(counted);
  const scaled = num / (BigInt(counted) * 2n); // half-up of credit/counted × 100 × scale
  const whole = 100n * scale;
  return fixed(credit < counted && scaled >= whole ? whole - 1n : scaled, scale, decimals);
}

function fixed(scaled: bigint, scale: bigint, decimals: number): string {
  const whole = scaled / scale;
  if (decimals === 0) return whole.toString();
  const frac = (scaled % scale).toString().padStart(decimals, '0');
  return `${whole}.${frac}`;
}

/** Micro-items as a short decimal (141.22, 19.28, 164): exact, trailing zeros dropped. */
export function formatUnits(units: number, unitsPerItem = 1_000_000): string {
  const sign = units < 0 ? '-' : '';
  const abs = BigInt(Math.abs(units));
  const per = BigInt(unitsPerItem);
  const whole = abs / per;
  const frac = (abs % per)
    .toString()
    .padStart(String(unitsPerItem).length - 1, '0')
    .replace(/0+$/, '');
  return frac ? `${sign}${whole}.${frac}` : `${sign}${whole}`;
}
