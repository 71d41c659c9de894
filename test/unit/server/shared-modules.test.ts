import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRatioPercent } from '../../../src/domain/format-number.js';
import { loadStaticFiles } from '../../../src/server/static-files.js';

describe('domain modules served to the dashboard', () => {
  it('serves format-number as browser JavaScript that rounds exactly as the server does', async () => {
    const { files } = loadStaticFiles();
    const asset = files.get('/shared/format-number.js');
    expect(asset?.type).toBe('text/javascript; charset=utf-8');
    const source = asset!.file.body.toString();
    expect(source).not.toMatch(/:\s*(number|string|bigint)\b/); // no TypeScript left
    const url = `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`;
    const served = (await import(url)) as { formatRatioPercent: typeof formatRatioPercent };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (d, f) => {
          const credit = Math.floor(d * f);
          expect(served.formatRatioPercent(credit, d)).toBe(formatRatioPercent(credit, d));
        },
      ),
      { numRuns: 500 },
    );
    expect(served.formatRatioPercent(100_050_000, 200_000_000)).toBe('50.03');
  });
});
