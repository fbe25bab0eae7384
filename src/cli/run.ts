// `meshsim run`: load and check every scenario, run its study, write out/<name>/ atomically, print a
// results table (or the summary with --json).
import { join } from 'node:path';
import pc from 'picocolors';
import { formatDuration } from '../scenario/units.ts';
import { runStudy } from '../study/study.ts';
import { InputError } from './errors.ts';
import { loadFiles } from './inputs.ts';
import { progress } from './progress.ts';
import { resultsTable } from './table.ts';

export interface RunOptions {
  out: string;
  seed?: number;
  replications?: number;
  duration?: string;
  set: string[];
  json?: boolean;
  quiet?: boolean;
  jobs?: number;
  charts?: boolean;
}

export async function runCommand(files: string[], options: RunOptions): Promise<void> {
  const sets = [...options.set, ...(options.duration ? [`duration=${options.duration}`] : [])];
  const loaded = await loadFiles(files, { sets, replications: options.replications });
  const { writeRunOutput } = await import('../report/index.ts');
  const summaries = [];
  for (const input of loaded) {
    const base = input.variants[0]!.scenario;
    const replications = options.replications ?? base.replications;
    if (!options.quiet) {
      const variants = input.variants.length;
      process.stderr.write(
        `${pc.bold(base.name)} · ${variants} variant${variants === 1 ? '' : 's'} × ${replications} replication${replications === 1 ? '' : 's'} · ${formatDuration(base.duration)} simulated\n`,
      );
    }
    const bar = progress(process.stderr, options.quiet ?? false);
    const result = await runStudy(input.variants, { seed: options.seed, replications, jobs: options.jobs, onProgress: bar.update });
    bar.finish();
    const dir = join(options.out, base.name);
    await writeRunOutput({ summary: result.summary, tables: result.tables, scenarioText: input.text, scenarioFile: input.file }, dir, {
      charts: options.charts ?? true,
    });
    summaries.push(result.summary);
    if (!options.json) {
      process.stdout.write(`${resultsTable(result.summary)}\n`);
      if (!options.quiet) process.stderr.write(`wrote ${dir}/{summary.json,report.html,charts/,data/}\n`);
    }
  }
  if (options.json) process.stdout.write(`${JSON.stringify(summaries.length === 1 ? summaries[0] : summaries, null, 2)}\n`);
}

/** Parses a whole-number option, or throws an InputError naming it. */
export function intOption(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InputError(`${name} expects a whole number ≥ ${min}, got "${value}"`);
    return n;
  };
}
