// writeRunOutput: the full folder on success; on failure no output folder and no temporary
// folder, and a previous output folder left exactly as it was.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { charts } from '../../src/charts/index.ts';
import { writeRunOutput } from '../../src/report/write.ts';
import { makeRunOutput } from '../fixtures/run-output.ts';

const roots: string[] = [];
function scratch(): string {
  const root = mkdtempSync(join(tmpdir(), 'meshsim-write-'));
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A registry whose second chart cannot be compiled: rendering fails after the first was written. */
const failing = {
  'latency-percentiles': charts['latency-percentiles'],
  broken: () => ({ data: { values: [] }, mark: 'no-such-mark' }) as unknown as TopLevelSpec,
};

const CHART_FILES = Object.keys(charts).flatMap((name) => ['vl.json', 'svg', 'png'].map((ext) => `charts/${name}.${ext}`));

describe('writeRunOutput', () => {
  it('writes summary, data, every chart in three forms, and the report', async () => {
    const outDir = join(scratch(), 'out', 'l4-vs-l7');
    const written = await writeRunOutput(makeRunOutput(), outDir);
    const expected = [
      'summary.json',
      'data/timeseries.csv',
      'data/pods.csv',
      'data/pod-timeseries.csv',
      'data/edge-timeseries.csv',
      'data/retry-gauges.csv',
      'data/ejections.csv',
      'data/identity-timeseries.csv',
      'data/certificates.csv',
      'data/handshake-failures.csv',
      ...CHART_FILES,
      'report.html',
    ];
    expect(written.outDir).toBe(outDir);
    expect(written.files).toEqual(expected.map((p) => join(outDir, p)));
    for (const file of written.files) expect(existsSync(file), file).toBe(true);
    expect(readdirSync(join(outDir, '..'))).toEqual(['l4-vs-l7']);

    const summary = readFileSync(join(outDir, 'summary.json'), 'utf8');
    expect(summary).toBe(`${JSON.stringify(makeRunOutput().summary, null, 2)}\n`);
    expect(readFileSync(join(outDir, 'data/timeseries.csv'), 'utf8').split('\n')[0]).toBe('variant,replication,t,throughputRps,errorRps,p50Ms,p90Ms,p99Ms');
    const pods = readFileSync(join(outDir, 'data/pods.csv'), 'utf8').split('\n');
    expect(pods[0]).toBe('variant,replication,service,pod,requests,share,utilization,connections,ready');
    expect(pods).toHaveLength(1 + 3 * 3 * 10 + 1);
    const podSeries = readFileSync(join(outDir, 'data/pod-timeseries.csv'), 'utf8').split('\n');
    expect(podSeries[0]).toBe('variant,replication,t,service,pod,requests,utilization,connections');
    expect(podSeries).toHaveLength(1 + 3 * 3 * 10 * 12 + 1);
    const edges = readFileSync(join(outDir, 'data/edge-timeseries.csv'), 'utf8').split('\n');
    expect(edges[0]).toBe('variant,replication,t,from,to,offeredRps,attemptedRps,goodputRps');
    expect(edges).toHaveLength(1 + 3 * 3 * 60 * 2 + 1);
    const gauges = readFileSync(join(outDir, 'data/retry-gauges.csv'), 'utf8').split('\n');
    expect(gauges[0]).toBe('variant,replication,t,to,kind,value');
    expect(gauges[1]).toMatch(/^l4,0,1,payments,envoy-active-retries,\d+$/);
    expect(readFileSync(join(outDir, 'charts/pod-share.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('writes the per-edge, gauge, ejection and identity tables only when they have rows', async () => {
    const outDir = join(scratch(), 'run');
    const output = makeRunOutput();
    output.tables.edgeTimeseries = [];
    output.tables.gaugeTimeseries = [];
    output.tables.ejections = [];
    output.tables.identityTimeseries = [];
    output.tables.certificates = [];
    output.tables.handshakeFailures = [];
    const names = (await writeRunOutput(output, outDir, { charts: false })).files.map((f) => f.slice(outDir.length + 1));
    expect(names.filter((n) => n.startsWith('data/'))).toEqual(['data/timeseries.csv', 'data/pods.csv', 'data/pod-timeseries.csv']);
  });

  it('skips SVG and PNG with charts: false but still writes specs, summary, data and report', async () => {
    const outDir = join(scratch(), 'run');
    const written = await writeRunOutput(makeRunOutput(), outDir, { charts: false });
    const names = written.files.map((f) => f.slice(outDir.length + 1));
    expect(names).toContain('report.html');
    expect(names).toContain('summary.json');
    expect(names.filter((n) => n.startsWith('charts/'))).toEqual(Object.keys(charts).map((n) => `charts/${n}.vl.json`));
  });

  it('leaves out a chart with nothing to draw, in every form and in the report', async () => {
    const outDir = join(scratch(), 'run');
    const output = makeRunOutput();
    for (const row of output.tables.podTimeseries) row.connections = 0;
    const written = await writeRunOutput(output, outDir, { charts: false });
    expect(written.files.some((f) => f.includes('connections-over-time'))).toBe(false);
    expect(readFileSync(join(outDir, 'report.html'), 'utf8')).not.toContain('chart-connections-over-time');
    expect(written.files).toContain(join(outDir, 'charts/pod-utilization-heatmap.vl.json'));
  });

  it('replaces a previous folder completely', async () => {
    const outDir = join(scratch(), 'run');
    await writeRunOutput(makeRunOutput(), outDir, { charts: false });
    writeFileSync(join(outDir, 'stale.txt'), 'from an older run');
    await writeRunOutput(makeRunOutput(), outDir, { charts: false });
    expect(existsSync(join(outDir, 'stale.txt'))).toBe(false);
    expect(readdirSync(join(outDir, '..'))).toEqual(['run']);
  });

  it('leaves no output folder and no temporary folder when rendering fails midway', async () => {
    const parent = scratch();
    const outDir = join(parent, 'run');
    await expect(writeRunOutput(makeRunOutput(), outDir, { registry: failing })).rejects.toThrow();
    expect(readdirSync(parent)).toEqual([]);
  });

  it('keeps a previous folder intact when rendering fails midway', async () => {
    const parent = scratch();
    const outDir = join(parent, 'run');
    await writeRunOutput(makeRunOutput(), outDir, { charts: false });
    const before = snapshotDir(outDir);
    const other = makeRunOutput();
    other.summary.seed = 7;
    await expect(writeRunOutput(other, outDir, { registry: failing })).rejects.toThrow();
    expect(readdirSync(parent)).toEqual(['run']);
    expect(snapshotDir(outDir)).toEqual(before);
  });

  it('fails before touching the disk when a chart cannot even be built', async () => {
    const parent = scratch();
    const registry = {
      bad: () => {
        throw new Error('no data');
      },
    };
    await expect(writeRunOutput(makeRunOutput(), join(parent, 'run'), { registry })).rejects.toThrow('no data');
    expect(readdirSync(parent)).toEqual([]);
  });
});

/** Every file under `dir` with its content. */
function snapshotDir(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[path.slice(dir.length + 1)] = readFileSync(path, 'base64');
  }
  return files;
}
