// The command line end to end, run from source in a child process: exit statuses, outputs written
// (or not), --set, --json, validate, schema, and byte-identical output for the same seed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const tiny = join(root, 'test/fixtures/tiny.yaml');

function meshsim(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: root });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const tmp = () => mkdtempSync(join(tmpdir(), 'meshsim-cli-'));

describe('meshsim run', () => {
  it('writes summary, data, charts and report, and prints a table', () => {
    const out = tmp();
    const r = meshsim('run', tiny, '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^variant\s+rps\s+p50/);
    expect(r.stdout).toMatch(/\nslow\s/);
    const dir = join(out, 'tiny');
    expect(readdirSync(dir).sort()).toEqual(['charts', 'data', 'report.html', 'summary.json']);
    expect(readdirSync(join(dir, 'charts'))).toContain('pod-share.png');
    expect(readdirSync(join(dir, 'data')).sort()).toEqual(['edge-timeseries.csv', 'pod-timeseries.csv', 'pods.csv', 'timeseries.csv']);
  });

  it('--set and --json: the override changes the run and the summary goes to stdout', () => {
    const out = tmp();
    const plain = JSON.parse(meshsim('run', tiny, '--out', out, '--json', '--quiet').stdout);
    const r = meshsim('run', tiny, '--out', out, '--json', '--quiet', '--set', 'services.server.replicas=6', '--replications', '1');
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.replications).toBe(1);
    expect(summary.variants.map((v: { name: string }) => v.name)).toEqual(['base', 'slow']);
    expect(summary.variants[0].pods).toHaveLength(6);
    expect(plain.variants[0].pods).toHaveLength(3);
  });

  it('the same seed gives byte-identical summary and chart specs; another seed gives other numbers', () => {
    const [a, b, c] = [tmp(), tmp(), tmp()];
    for (const out of [a, b]) expect(meshsim('run', tiny, '--out', out, '--quiet', '--no-charts').status).toBe(0);
    expect(meshsim('run', tiny, '--out', c, '--quiet', '--no-charts', '--seed', '4').status).toBe(0);
    const read = (out: string, file: string) => readFileSync(join(out, 'tiny', file), 'utf8');
    expect(read(a, 'summary.json')).toBe(read(b, 'summary.json'));
    for (const chart of readdirSync(join(a, 'tiny', 'charts')).filter((f) => f.endsWith('.vl.json')))
      expect(read(a, `charts/${chart}`)).toBe(read(b, `charts/${chart}`));
    expect(read(a, 'data/timeseries.csv')).toBe(read(b, 'data/timeseries.csv'));
    const requests = (out: string) => JSON.parse(read(out, 'summary.json')).variants[0].metrics.requests.mean;
    expect(requests(c)).not.toBe(requests(a));
  });

  it('--jobs 2 gives the same summary as a serial run', () => {
    const [a, b] = [tmp(), tmp()];
    expect(meshsim('run', tiny, '--out', a, '--quiet', '--no-charts').status).toBe(0);
    expect(meshsim('run', tiny, '--out', b, '--quiet', '--no-charts', '--jobs', '2').status).toBe(0);
    expect(readFileSync(join(a, 'tiny/summary.json'), 'utf8')).toBe(readFileSync(join(b, 'tiny/summary.json'), 'utf8'));
  });
});

describe('bad input: exit status 2, a clear message, no output folder', () => {
  it('an invalid scenario reports file:line:col and writes nothing', () => {
    const out = tmp();
    const bad = join(root, 'test/bad-scenarios/unknown-service.yaml');
    const r = meshsim('run', tiny, bad, '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown-service.yaml:6:13: services.client.calls[0].to: no service named "sever"; did you mean "server"?');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(out, 'tiny'))).toBe(false); // the good file before it did not run either
  });

  it('a bad --set value is reported against --set', () => {
    const r = meshsim('run', tiny, '--out', tmp(), '--set', 'services.server.pod.workers=many');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--set services.server.pod.workers=many');
  });

  it('a missing file, an unknown option and a bad number are usage errors', () => {
    const missing = meshsim('run', 'nope.yaml');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('nope.yaml: cannot read the file (no such file)');
    expect(meshsim('run', tiny, '--frobnicate').status).toBe(2);
    const jobs = meshsim('run', tiny, '--jobs', 'two');
    expect(jobs.status).toBe(2);
    expect(jobs.stderr).toContain('--jobs expects a whole number');
  });

  it('a scenario over its event budget is refused before it runs', () => {
    const r = meshsim('run', tiny, '--out', tmp(), '--set', 'maxEvents=1000');
    expect(r.status).toBe(2);
    // The limit came from --set, so the problem points there rather than into the file.
    expect(r.stderr).toMatch(/^--set maxEvents=1000: maxEvents: .*events/);
  });
});

describe('meshsim validate, schema and help', () => {
  it('validate: ok for good files, every problem for bad ones', () => {
    const good = meshsim('validate', tiny, join(root, 'scenarios/mmc.yaml'));
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('tiny.yaml: ok (2 variants: base, slow)');
    const bad = meshsim('validate', join(root, 'test/bad-scenarios/many-problems.yaml'));
    expect(bad.status).toBe(2);
    expect(bad.stderr.replaceAll(join(root, 'test/bad-scenarios/'), '').trim()).toBe(
      readFileSync(join(root, 'test/bad-scenarios/many-problems.expected.txt'), 'utf8').trim(),
    );
  });

  it('schema prints the committed JSON Schema', () => {
    const r = meshsim('schema');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(root, 'scenario.schema.json'), 'utf8'));
  });

  it('run --help shows examples', () => {
    const r = meshsim('run', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('--set <path=value>');
  });
});
