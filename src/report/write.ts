// Writes a run's results as the folder a person opens: summary.json, data/*.csv (edge-timeseries.csv,
// retry-gauges.csv and the identity tables only when the run has rows for them),
// charts/<name>.{vl.json,svg,png} and report.html — all or nothing, via an atomic folder swap.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { buildCharts, type ChartBuilder, charts as chartRegistry } from '../charts/index.ts';
import type { RunOutput } from '../observe/types.ts';
import { replaceDirAtomically } from './atomic-dir.ts';
import { csvColumns, toCsv } from './csv.ts';
import { reportHtml } from './html.ts';
import { loadEmbedLibraries } from './libraries.ts';
import { renderChart } from './render.ts';

export { renderChart };

export interface WriteOptions {
  /** Render charts to SVG and PNG (default true). Specs, summary, data and report are always written. */
  charts?: boolean;
  /** The charts to draw; defaults to every chart in src/charts. */
  registry?: Readonly<Record<string, ChartBuilder>>;
}

export interface WrittenFiles {
  /** The output folder, as given. */
  outDir: string;
  /** Every file written, as `outDir`-joined paths, in writing order. */
  files: string[];
}

const TIMESERIES_COLUMNS = ['variant', 'replication', 't', 'throughputRps', 'errorRps', 'p50Ms', 'p90Ms', 'p99Ms'];
const POD_COLUMNS = ['variant', 'replication', 'service', 'pod', 'requests', 'share', 'utilization', 'connections', 'ready'];
const POD_TIMESERIES_COLUMNS = ['variant', 'replication', 't', 'service', 'pod', 'requests', 'utilization', 'connections'];
const EDGE_TIMESERIES_COLUMNS = ['variant', 'replication', 't', 'from', 'to', 'offeredRps', 'attemptedRps', 'goodputRps'];
const GAUGE_COLUMNS = ['variant', 'replication', 't', 'to', 'kind', 'value'];
const PANIC_COLUMNS = ['variant', 'replication', 'from', 'cluster', 'service', 'start', 'end'];
const EJECTION_COLUMNS = ['variant', 'replication', 'from', 'cluster', 'service', 'pod', 'kind', 'start', 'end', 'interval'];
const IDENTITY_COLUMNS = ['variant', 'replication', 't', 'handshakes', 'handshakeFailures', 'validFraction', 'expiredMax', 'csrIssued', 'csrFailed'];
const CERTIFICATE_COLUMNS = ['variant', 'replication', 'workload', 'serial', 'from', 'to', 'renewal', 'installedAt', 'releasedAt'];
const FAILURE_COLUMNS = ['variant', 'replication', 'workload', 't', 'count'];

/** The known columns in their documented order, then any others the rows carry. */
function columns(known: readonly string[], rows: readonly object[]): string[] {
  return [...known, ...csvColumns(rows).filter((c) => !known.includes(c))];
}

export async function writeRunOutput(output: RunOutput, outDir: string, options: WriteOptions = {}): Promise<WrittenFiles> {
  // 1. Everything that can fail without touching the disk: chart specs, library code.
  const specs: Record<string, TopLevelSpec> = buildCharts(output, options.registry ?? chartRegistry);
  const libraries = await loadEmbedLibraries();
  const relative: string[] = [];

  await replaceDirAtomically(outDir, async (dir) => {
    const put = async (path: string, content: string | Buffer) => {
      await writeFile(join(dir, path), content);
      relative.push(path);
    };
    await mkdir(join(dir, 'data'));
    await mkdir(join(dir, 'charts'));

    // 2. The machine-readable contract and the tidy tables.
    await put('summary.json', `${JSON.stringify(output.summary, null, 2)}\n`);
    const { timeseries, pods, podTimeseries, edgeTimeseries, gaugeTimeseries, ejections = [], panics = [] } = output.tables;
    await put('data/timeseries.csv', toCsv(timeseries, columns(TIMESERIES_COLUMNS, timeseries)));
    await put('data/pods.csv', toCsv(pods, columns(POD_COLUMNS, pods)));
    await put('data/pod-timeseries.csv', toCsv(podTimeseries, columns(POD_TIMESERIES_COLUMNS, podTimeseries)));
    // Written only when non-empty: a run without retry budgets, throttles or Envoy retries has no gauges.
    if (edgeTimeseries.length > 0) await put('data/edge-timeseries.csv', toCsv(edgeTimeseries, columns(EDGE_TIMESERIES_COLUMNS, edgeTimeseries)));
    if (gaugeTimeseries.length > 0) await put('data/retry-gauges.csv', toCsv(gaugeTimeseries, columns(GAUGE_COLUMNS, gaugeTimeseries)));
    if (ejections.length > 0) await put('data/ejections.csv', toCsv(ejections, columns(EJECTION_COLUMNS, ejections)));
    if (panics.length > 0) await put('data/panics.csv', toCsv(panics, columns(PANIC_COLUMNS, panics)));
    // Identity tables: only under mTLS.
    const { identityTimeseries, certificates, handshakeFailures } = output.tables;
    if (identityTimeseries.length > 0) await put('data/identity-timeseries.csv', toCsv(identityTimeseries, columns(IDENTITY_COLUMNS, identityTimeseries)));
    if (certificates.length > 0) await put('data/certificates.csv', toCsv(certificates, columns(CERTIFICATE_COLUMNS, certificates)));
    if (handshakeFailures.length > 0) await put('data/handshake-failures.csv', toCsv(handshakeFailures, columns(FAILURE_COLUMNS, handshakeFailures)));

    // 3. Every chart: its spec, then (unless skipped) SVG and 2× PNG.
    for (const [name, spec] of Object.entries(specs)) {
      await put(`charts/${name}.vl.json`, `${JSON.stringify(spec, null, 2)}\n`);
      if (options.charts === false) continue;
      const { svg, png } = await renderChart(spec);
      await put(`charts/${name}.svg`, svg);
      await put(`charts/${name}.png`, png);
    }

    // 4. The page that shows it all.
    await put('report.html', reportHtml(output, specs, libraries));
  });
  return { outDir, files: relative.map((p) => join(outDir, p)) };
}
