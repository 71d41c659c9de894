import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_HELP, SETTINGS } from '../../../src/cli/env-help.js';

const ROOT = join(import.meta.dirname, '../../..');

/** The environment variables the source reads: `env.NAME`, `env['NAME']` and config.ts's readers. */
function namesRead(): Set<string> {
  const names = new Set<string>();
  const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.ts'),
  );
  for (const file of files) {
    const text = readFileSync(join(ROOT, 'src', file), 'utf8');
    for (const m of text.matchAll(
      /\benv\.([A-Z][A-Z0-9_]+)|\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]|\b(?:flag|int|origins)\('([A-Z][A-Z0-9_]+)'/g,
    ))
      names.add(m[1] ?? m[2] ?? m[3]!);
  }
  return names;
}

/** The README's Configuration table: each row's variable and default, in order. */
function readmeTable(): { name: string; default: string }[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('\n## Configuration\n')[1]!.split('\n## ')[0]!;
  return section
    .split('\n')
    .filter((line) => /^\| `[A-Z_]+`/.test(line))
    .map((line) => {
      const [name, value] = line
        .split('|')
        .slice(1, 3)
        .map((cell) => cell.trim());
      return { name: name!.replaceAll('`', ''), default: value! };
    });
}

describe('the environment settings', () => {
  it('lists every variable the source reads, and none it does not', () => {
    const read = namesRead();
    expect(read.size).toBeGreaterThan(10); // the scan found config.ts's readers
    expect([...read].sort()).toEqual(SETTINGS.map((s) => s.name).sort());
  });

  it('matches the README’s Configuration table, names and defaults, in order', () => {
    expect(readmeTable()).toEqual(SETTINGS.map((s) => ({ name: s.name, default: s.default })));
  });

  it('shows each setting and its default in `jindu --help`', () => {
    for (const s of SETTINGS)
      expect(ENV_HELP).toMatch(
        new RegExp(`^  ${s.name} +.*\\(default ${s.default.replaceAll('`', '')}\\)$`, 'm'),
      );
  });
});
