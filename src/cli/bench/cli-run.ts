// Times a scenario run end to end through the CLI in a child process (start-up included) and reads
// the child's peak memory, which the CLI writes when MESHSIM_MAXRSS_FILE is set.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../main.js', import.meta.url));

export interface CliRun {
  seconds: number;
  requests: number;
  maxRssMb: number;
}

/** Runs `yaml` (a scenario text) through `meshsim run` with `args`; throws with its stderr on failure. */
export function runCli(yaml: string, args: string[] = []): CliRun {
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-bench-'));
  try {
    const file = join(dir, 'scenario.yaml');
    const rssFile = join(dir, 'rss');
    writeFileSync(file, yaml);
    const t0 = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [cli, 'run', file, '--out', join(dir, 'out'), '--json', '--quiet', ...args], {
      env: { ...process.env, MESHSIM_MAXRSS_FILE: rssFile },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (child.status !== 0) throw new Error(`meshsim run failed (${child.status}):\n${child.stderr}`);
    const summary = JSON.parse(child.stdout);
    const requests =
      summary.variants.reduce((n: number, v: { metrics: { requests: { mean: number } } }) => n + v.metrics.requests.mean, 0) * summary.replications;
    return { seconds, requests, maxRssMb: Number(readFileSync(rssFile, 'utf8')) / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The M/M/8 scenario of the platform issue, sized to about `customers` requests in one replication. */
export const mm8 = (customers: number) => `name: bench-mm8
seed: 1
duration: ${(customers / 7200).toFixed(3)}s
warmup: 0s
replications: 1
services:
  client:
    calls:
      - to: server
        method: demo.Server/Work
        rate: 7200/s
  server:
    replicas: 1
    pod:
      workers: 8
      queue: 100000
      serviceTime: { distribution: exponential, mean: 1ms }
`;
