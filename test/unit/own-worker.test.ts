import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NEEDS_OWN_WORKER, OWN_WORKER } from '../helpers/own-worker.js';
import { ROOT } from '../helpers/server-process.js';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(ROOT, path).replaceAll('\\', '/')] : [];
  });
}

describe('unit and integration files that share a worker', () => {
  const shared = ['unit', 'integration'].flatMap((dir) => testFiles(join(ROOT, 'test', dir)));

  // A file that mocks a module, or measures the process, passed or failed by what ran before it.
  it('leave to a worker of their own every file that mocks a module or measures the process', () => {
    const needing = shared.filter((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      return NEEDS_OWN_WORKER.some((call) => call.test(text));
    });
    expect(needing.length).toBeGreaterThan(0);
    expect(needing.filter((file) => !OWN_WORKER.includes(file))).toEqual([]);
  });

  it('name files that exist', () => {
    for (const file of OWN_WORKER) expect(shared).toContain(file);
  });
});
