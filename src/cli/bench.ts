// `meshsim bench`: the performance figures the issues ask for, measured on this machine in one run.
// Targets are printed beside each figure; timings on a shared 2-core machine are noisy.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { certificatesFlow } from './bench/certificates.ts';
import { mm8, runCli } from './bench/cli-run.ts';
import { holdModel } from './bench/hold.ts';
import { sidecarPath } from './bench/sidecar.ts';
import { threeTier } from './bench/three-tier.ts';

const row = (what: string, value: string, target: string) => process.stdout.write(`${what.padEnd(58)} ${value.padStart(16)}   ${target}\n`);

export async function benchCommand(options: { quick?: boolean }): Promise<void> {
  const scale = options.quick ? 0.1 : 1;
  process.stdout.write(`meshsim bench · node ${process.version} · ${new Date().toISOString().slice(0, 10)}\n\n`);

  holdModel(1000, 200_000); // warm up the JIT
  const hold = holdModel(1000, 5_000_000 * scale);
  row('engine: hold model, 1,000 pending timers', `${(hold.eventsPerSecond / 1e6).toFixed(2)} M events/s`, 'target ≥ 5 M/s');

  const million = runCli(mm8(1_000_000 * scale));
  row(`M/M/8 via CLI, ${(million.requests / 1e6).toFixed(2)} M customers (wall, incl. start-up)`, `${million.seconds.toFixed(2)} s`, 'target ≤ 2 s');
  row('M/M/8 via CLI: customers per second', `${(million.requests / million.seconds / 1e6).toFixed(2)} M/s`, '');

  const ten = runCli(mm8(10_000_000 * scale), ['--no-charts']);
  const small = runCli(mm8(1_000_000 * scale), ['--no-charts']);
  const m = (n: number) => `${+(n / 1e6).toFixed(2)} M`;
  row(`peak memory, ${m(small.requests)} customers`, `${small.maxRssMb.toFixed(0)} MB`, '');
  row(`peak memory, ${m(ten.requests)} customers`, `${ten.maxRssMb.toFixed(0)} MB`, '');
  row('peak memory ratio (10× the customers)', `${(ten.maxRssMb / small.maxRssMb).toFixed(2)}×`, 'target ≤ 1.5×');

  await sidecarPath(50_000); // warm up
  const sidecar = await sidecarPath(2_000_000 * scale);
  row('sidecar path (client → sidecar LEAST_REQUEST → pod), RPCs/s', `${(sidecar.rpcsPerSecond / 1e3).toFixed(0)} k/s`, 'target ≥ 300 k/s');
  const health = await sidecarPath(2_000_000 * scale, true);
  row('  the same with outlier detection, RPCs/s', `${(health.rpcsPerSecond / 1e3).toFixed(0)} k/s`, '');
  row('  cost of outlier detection (1 − ratio of the two)', `${(100 * (1 - health.rpcsPerSecond / sidecar.rpcsPerSecond)).toFixed(1)} %`, 'target ≤ 15 %');
  const canary = await sidecarPath(2_000_000 * scale, true, true);
  row('  with outlier detection, a canary split and probes, RPCs/s', `${(canary.rpcsPerSecond / 1e3).toFixed(0)} k/s`, '');
  row(
    '  cost of all three (2 subsets 95/5 + header match; probes every 1 s)',
    `${(100 * (1 - canary.rpcsPerSecond / sidecar.rpcsPerSecond)).toFixed(1)} %`,
    'target ≤ 15 %',
  );

  const l4l7 = fileURLToPath(new URL('../../scenarios/l4-vs-l7.yaml', import.meta.url));
  const bundled = runCli(readFileSync(l4l7, 'utf8'), ['--no-charts']);
  row(`scenarios/l4-vs-l7.yaml, all variants (${(bundled.requests / 1e6).toFixed(2)} M RPCs)`, `${bundled.seconds.toFixed(2)} s`, 'target < 15 s');

  await threeTier(20_000); // warm up
  const tiers = await threeTier(500_000 * scale);
  row('three tiers, sidecars and retries at every hop: client requests/s', `${(tiers.requestsPerSecond / 1e3).toFixed(0)} k/s`, 'target ≥ 100 k/s');
  const storm = runCli(readFileSync(fileURLToPath(new URL('../../scenarios/retry-storm.yaml', import.meta.url)), 'utf8'), ['--no-charts']);
  row('scenarios/retry-storm.yaml, all variants and replications', `${storm.seconds.toFixed(2)} s`, 'target < 30 s');
  const ejection = runCli(readFileSync(fileURLToPath(new URL('../../scenarios/outlier-ejection.yaml', import.meta.url)), 'utf8'), ['--no-charts']);
  row('scenarios/outlier-ejection.yaml, all variants and replications', `${ejection.seconds.toFixed(2)} s`, 'target < 20 s');

  await certificatesFlow(6); // warm up
  const hours = options.quick ? 7.2 : 72;
  const certs = await certificatesFlow(hours);
  row(`certificates, flow level: ${hours} h, 200 workloads, ${(hours * 30) / 72} h CA outage`, `${certs.seconds.toFixed(2)} s`, 'target < 10 s');
  row(`  ${(certs.rpcs / 1e6).toFixed(0)} M RPCs integrated; engine events per simulated hour`, `${(certs.eventsPerHour / 1e3).toFixed(1)} k`, '');
}
