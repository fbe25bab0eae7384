// The exact text a user sees for each bad scenario in test/bad-scenarios/, compared with the
// `<name>.expected.txt` beside it (update with `npx vitest run test/scenario -u`, then read the diff).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatProblems, loadScenario } from '../../src/scenario/index.ts';

const folder = join(dirname(fileURLToPath(import.meta.url)), '..', 'bad-scenarios');
const files = readdirSync(folder)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('bad scenarios', () => {
  it('has at least 14 examples', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
  });

  it.each(files)('%s', async (file) => {
    const text = readFileSync(join(folder, file), 'utf8');
    const result = loadScenario(text, file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    await expect(formatProblems(result.problems, text)).toMatchFileSnapshot(join(folder, file.replace(/\.yaml$/, '.expected.txt')));
  });
});
