// The CA as a queueing station: FIFO, parallel signers, outages that fail or queue CSRs, an issuer it cannot sign past,
// and the mean queue wait of M/M/c against Erlang C.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exponential } from '../../../src/engine/index.ts';
import { CertificateAuthority, type CsrResult, chainValid } from '../../../src/model/identity/index.ts';
import { cert, HOUR, seeded } from './helpers.ts';

/** Calls `complete` at each due time until nothing is under way. */
function drain(ca: CertificateAuthority): CsrResult[] {
  const out: CsrResult[] = [];
  for (let at = ca.nextCompletion(); at !== undefined; at = ca.nextCompletion()) out.push(...ca.complete(at));
  return out;
}

describe('CA queueing', () => {
  it('one signer serves CSRs first come first served; each result carries its queue wait', () => {
    const ca = new CertificateAuthority({ signingTime: 1 });
    for (const name of ['a', 'b', 'c']) ca.submit(0, name);
    expect(ca.busy).toBe(1);
    expect(ca.queueLength).toBe(2);
    const results = drain(ca);
    expect(results.map((r) => [r.subject, r.completedAt, r.wait])).toEqual([
      ['a', 1, 0],
      ['b', 2, 1],
      ['c', 3, 2],
    ]);
    const first = results[0]!;
    expect(first.ok && first.certificate).toEqual({ serial: 'ca/1', subject: 'a', issuer: 'ca', notBefore: 1, notAfter: 1 + 24 * HOUR });
  });

  it('capacity signers work in parallel', () => {
    const ca = new CertificateAuthority({ capacity: 2, signingTime: 1 });
    for (const name of ['a', 'b', 'c']) ca.submit(0, name);
    expect(drain(ca).map((r) => [r.subject, r.completedAt])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 2],
    ]);
  });

  it('a late complete call still starts queued CSRs at the instant a signer freed up', () => {
    const ca = new CertificateAuthority({ signingTime: 1 });
    ca.submit(0, 'a');
    ca.submit(0.5, 'b');
    const results = ca.complete(10);
    expect(results.map((r) => [r.completedAt, r.wait])).toEqual([
      [1, 0],
      [2, 0.5],
    ]);
  });

  it('during an outage (default: fail) CSRs fail at once, and those queued or being signed fail when it begins', () => {
    const ca = new CertificateAuthority({ signingTime: 1 });
    ca.submit(0, 'a');
    ca.submit(0, 'b');
    ca.setOutage(0.5, true);
    expect(ca.busy).toBe(0);
    ca.submit(0.7, 'c');
    const failed = drain(ca);
    expect(failed.map((r) => [r.subject, r.ok, r.completedAt])).toEqual([
      ['a', false, 0.5],
      ['b', false, 0.5],
      ['c', false, 0.7],
    ]);
    expect(failed.every((r) => !r.ok && r.reason === 'outage')).toBe(true);
    ca.setOutage(2, false);
    ca.submit(2, 'd');
    expect(drain(ca).map((r) => [r.subject, r.ok, r.completedAt])).toEqual([['d', true, 3]]);
  });

  it("with onOutage 'queue' CSRs wait through the outage and signing resumes at recovery", () => {
    const ca = new CertificateAuthority({ signingTime: 1, onOutage: 'queue' });
    ca.submit(0, 'a');
    ca.setOutage(0.5, true);
    ca.submit(0.6, 'b');
    expect(ca.complete(5).map((r) => [r.subject, r.completedAt])).toEqual([['a', 1]]);
    expect(ca.nextCompletion()).toBeUndefined();
    ca.setOutage(5, false);
    expect(drain(ca).map((r) => [r.subject, r.completedAt, r.wait])).toEqual([['b', 6, 5 - 0.6]]);
  });

  it('the CA cannot sign once its issuer has expired, and its leaves fail validation when the issuer does', () => {
    const root = cert('root', 0, 10 * 365 * 24 * HOUR);
    const issuer = cert('issuer', 0, 100, 'root');
    const ca = new CertificateAuthority({ signingTime: 1, issuer });
    ca.submit(98, 'a');
    ca.submit(98, 'b'); // reaches a signer at 99: still fine
    ca.submit(98, 'c'); // reaches a signer at 100: the issuer has expired
    const results = drain(ca);
    expect(results.map((r) => [r.subject, r.ok])).toEqual([
      ['a', true],
      ['b', true],
      ['c', false],
    ]);
    expect(results[2]).toMatchObject({ ok: false, reason: 'issuer-expired', completedAt: 100 });
    const leaf = results[0]!.ok ? results[0]!.certificate : undefined;
    expect(leaf?.issuer).toBe('issuer');
    expect(chainValid(leaf!, issuer, [root], 99.5)).toBe(true);
    expect(chainValid(leaf!, issuer, [root], 100)).toBe(false);
  });

  it('a pool never exceeds capacity, every CSR gets exactly one result and signers start CSRs in arrival order (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 2, noNaN: true }), fc.boolean()), { maxLength: 40 }),
        fc.constantFrom<'fail' | 'queue'>('fail', 'queue'),
        (capacity, steps, onOutage) => {
          const ca = new CertificateAuthority({ capacity, signingTime: (rng) => 0.1 + rng.next(), onOutage }, seeded('property'));
          let now = 0;
          let down = false;
          const results: CsrResult[] = [];
          steps.forEach(([gap, toggle], i) => {
            for (let at = ca.nextCompletion(); at !== undefined && at <= now + gap; at = ca.nextCompletion()) results.push(...ca.complete(at));
            now += gap;
            if (toggle && i % 3 === 0) ca.setOutage(now, (down = !down));
            else ca.submit(now, `w${i}`);
            expect(ca.busy).toBeLessThanOrEqual(capacity);
          });
          ca.setOutage(now, false);
          results.push(...drain(ca));
          const tickets = results.map((r) => r.ticket).sort((a, b) => a - b);
          expect(new Set(tickets).size).toBe(tickets.length);
          expect(tickets.length).toBe(steps.filter(([, toggle], i) => !(toggle && i % 3 === 0)).length);
          const starts = results.flatMap((r) => (r.ok ? [[r.startedAt, r.ticket] as const] : [])).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          for (let i = 1; i < starts.length; i++) expect(starts[i]![1]).toBeGreaterThan(starts[i - 1]![1]);
        },
      ),
    );
  });
});

/** Erlang C: the probability that an arrival waits in M/M/c with offered load a = λ/μ < c. */
function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const top = ((term * a) / c) * (c / (c - a));
  return top / (sum + top);
}

describe('CA queue against M/M/c', () => {
  it('with Poisson CSRs and exponential signing times the mean queue wait matches Erlang C: Wq = C(c, λ/μ) / (cμ − λ)', () => {
    // c = 3 signers, μ = 1/s, λ = 2.1/s (ρ = 0.7): C ≈ 0.4923, Wq ≈ 0.5470 s. Ten independent runs of 20 000 CSRs
    // after 2 000 of warm-up; the run means are roughly normal, so the 99 % interval is mean ± t(0.995, 9)·s/√10 with
    // t = 3.250, and Erlang C must fall inside it.
    const c = 3;
    const mu = 1;
    const lambda = 2.1;
    const expected = erlangC(c, lambda / mu) / (c * mu - lambda);
    expect(expected).toBeCloseTo(0.547, 3);
    const runMeans: number[] = [];
    for (let run = 0; run < 10; run++) {
      const arrivals = seeded(`erlang-arrivals-${run}`);
      const ca = new CertificateAuthority({ capacity: c, signingTime: exponential(1 / mu).sample }, seeded(`erlang-signing-${run}`));
      const interArrival = exponential(1 / lambda);
      const waits: number[] = [];
      let nextArrival = interArrival.sample(arrivals);
      let submitted = 0;
      while (waits.length < 22_000) {
        const due = ca.nextCompletion();
        if (submitted < 22_000 && (due === undefined || nextArrival < due)) {
          ca.submit(nextArrival, `w${submitted++}`);
          nextArrival += interArrival.sample(arrivals);
        } else {
          for (const r of ca.complete(due!)) waits.push(r.wait);
        }
      }
      const kept = waits.slice(2_000);
      runMeans.push(kept.reduce((a, b) => a + b, 0) / kept.length);
    }
    const mean = runMeans.reduce((a, b) => a + b, 0) / runMeans.length;
    const sd = Math.sqrt(runMeans.reduce((a, b) => a + (b - mean) ** 2, 0) / (runMeans.length - 1));
    const halfWidth = (3.25 * sd) / Math.sqrt(runMeans.length);
    expect(halfWidth).toBeLessThan(0.1 * expected);
    expect(Math.abs(mean - expected)).toBeLessThanOrEqual(halfWidth);
  });
});
