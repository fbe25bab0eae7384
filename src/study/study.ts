// Runs a whole study — every variant and replication — serially or on worker threads, and turns the
// results into the summary and tables. Parallel and serial runs give identical results: each run is
// independent and deterministic, and results are put back in plan order.
import type { RunResult } from '../observe/run-result.ts';
import { summarize, tabulate } from '../observe/summarize.ts';
import type { Summary, Tables } from '../observe/types.ts';
import { controlFaultKinds, faultKinds, type Scenario } from '../scenario/schema.ts';
import { plan, type RunSpec } from './plan.ts';
import { RunAborted, runOne } from './run-one.ts';

export interface StudyOptions {
  seed?: number;
  replications?: number;
  /** Worker threads; 1 (the default) runs in this thread. */
  jobs?: number;
  /** Called after each run with how many are done, of how many, and events so far. */
  onProgress?: (done: number, total: number, events: number) => void;
}

export interface StudyResult {
  summary: Summary;
  tables: Tables;
  runs: RunResult[];
}

export async function runStudy(variants: readonly { name: string; scenario: Scenario }[], options: StudyOptions = {}): Promise<StudyResult> {
  const specs = plan(variants, options);
  const base = (variants[0] as { scenario: Scenario }).scenario;
  const results: RunResult[] = new Array(specs.length);
  let done = 0;
  let events = 0;
  const finished = (index: number, r: RunResult) => {
    results[index] = r;
    events += r.events;
    options.onProgress?.(++done, specs.length, events);
  };
  if ((options.jobs ?? 1) > 1 && specs.length > 1) await runParallel(specs, options.jobs as number, finished);
  else for (const spec of specs) finished(spec.index, runOne(spec));

  const grouped = variants.map((v) => ({
    name: v.name,
    runs: results.filter((r) => r.variant === v.name),
    faults: v.scenario.faults.map((f) => ({
      target: f.target,
      kind: [...faultKinds, ...controlFaultKinds].filter((k) => f[k] !== undefined).join('+'),
      from: f.at,
      // A root rotation is an instant; its band is the overlap in which both roots are trusted. A restart is an instant.
      to:
        f.restart && f.for === undefined
          ? f.at
          : f.rotateRoot
            ? Math.min(f.at + f.rotateRoot.overlap, v.scenario.duration)
            : f.for === undefined
              ? v.scenario.duration
              : Math.min(f.at + f.for, v.scenario.duration),
    })),
  }));
  const header = {
    scenario: base.name,
    title: base.title ?? base.name,
    seed: options.seed ?? base.seed,
    replications: options.replications ?? base.replications,
    duration: base.duration,
    warmup: base.warmup,
  };
  return { summary: summarize(header, grouped), tables: tabulate(grouped), runs: results };
}

async function runParallel(specs: readonly RunSpec[], jobs: number, finished: (index: number, r: RunResult) => void): Promise<void> {
  const { Piscina } = await import('piscina');
  const fromSource = import.meta.url.endsWith('.ts');
  const pool = new Piscina({
    filename: new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url).href,
    maxThreads: jobs,
    minThreads: 1,
    execArgv: fromSource ? ['--import', 'tsx'] : [],
  });
  try {
    await Promise.all(
      specs.map(async (spec) => {
        const r = (await pool.run(spec)) as RunResult | { aborted: string };
        if ('aborted' in r) throw new RunAborted(r.aborted);
        finished(spec.index, r);
      }),
    );
  } finally {
    await pool.destroy();
  }
}
