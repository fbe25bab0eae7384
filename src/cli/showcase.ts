// `meshsim showcase` (npm start): runs every bundled scenario into out/ and says where the reports are.
import { readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from './run.ts';

/** The scenarios/ folder shipped with meshsim (beside src/ and dist/). */
export const bundledScenarios = fileURLToPath(new URL('../../scenarios/', import.meta.url));

export async function showcaseCommand(options: { out: string; jobs: number }): Promise<void> {
  const files = (await readdir(bundledScenarios))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => relative(process.cwd(), join(bundledScenarios, f)));
  await runCommand(files, { out: options.out, set: [], jobs: options.jobs });
  process.stderr.write('\nReports:\n');
  for (const f of files) {
    const name = f.replace(/^.*\//, '').replace(/\.yaml$/, '');
    process.stderr.write(`  ${resolve(options.out, name, 'report.html')}\n`);
  }
}
