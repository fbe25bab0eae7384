// Replaying a CA outage against a fleet's certificates: who expires before the CA is back (REFERENCE §6.1 "outage
// budget ≈ remaining cert lifetime", §6.2). Each expectation is recomputed here from the profile's own schedule.
import { describe, expect, it } from 'vitest';
import {
  istioRenewalTime,
  istioRotationConfig,
  istioSchedule,
  linkerdIdentityConfig,
  linkerdIssuedWindow,
  linkerdRefreshAttempts,
  linkerdSchedule,
  outageTimeline,
} from '../../../src/model/identity/index.ts';
import { cert, HOUR, seeded } from './helpers.ts';

const DAY = 24 * HOUR;

describe('CA outage timeline', () => {
  it('Istio: the first expiry is the earliest notAfter among certificates whose renewal fell inside the outage and outlived it', () => {
    const config = istioRotationConfig();
    const issued = [0, 2 * HOUR, 4 * HOUR, 6 * HOUR];
    const certs = issued.map((t, i) => cert(`spiffe://w${i}`, t, t + DAY, 'root'));
    const outage = { start: 11 * HOUR, end: 27 * HOUR };
    const timeline = outageTimeline(certs, outage, istioSchedule(config, seeded('outage')));

    // The same draws in the same order: every renewal is due after 11.76 h, so none happens before the outage.
    const again = seeded('outage');
    const renewals = certs.map((c) => istioRenewalTime(c, config, again));
    const expected = certs.map((c, i) => {
      const renewal = renewals[i]!;
      const inside = renewal >= outage.start && renewal < outage.end;
      // Retries at each 5-min check; notBefore is hour-aligned so 27 h is a check and the first success.
      const renewedAt = inside ? outage.end : renewal;
      return { failedAttempts: inside ? (outage.end - renewal) / 300 : 0, renewedAt, expired: renewedAt >= c.notAfter };
    });
    expect(timeline.fates.map((f) => ({ failedAttempts: f.failedAttempts, renewedAt: f.renewedAt, expired: f.expiredAt !== undefined }))).toEqual(expected);
    const firstExpiry = Math.min(...certs.filter((_, i) => expected[i]!.expired).map((c) => c.notAfter));
    expect(timeline.firstExpiry).toBe(firstExpiry);
    expect(firstExpiry).toBe(DAY); // the workload issued at 0 lapses 24 h in, 3 h before the CA returns
  });

  it('Istio: a workload that renewed just before the outage rides out one nearly a day long', () => {
    const config = istioRotationConfig();
    const outage = { start: 12.5 * HOUR, end: 30 * HOUR };
    const timeline = outageTimeline([cert('spiffe://w', 0, DAY, 'root')], outage, istioSchedule(config, seeded('just-before')));
    const again = seeded('just-before');
    const firstRenewal = istioRenewalTime(cert('spiffe://w', 0, DAY, 'root'), config, again);
    expect(firstRenewal).toBeLessThan(outage.start);
    expect(timeline.firstExpiry).toBeUndefined();
    expect(timeline.fates[0]!.renewedAt).toBe(outage.end);
  });

  it('Linkerd: a proxy whose 16.8 h refresh fell inside the outage retries geometrically, lapses at 24 h, renews at recovery', () => {
    const config = linkerdIdentityConfig();
    const c = { serial: 'w', subject: 'spiffe://w', issuer: 'issuer', ...linkerdIssuedWindow(0, config) };
    const outage = { start: HOUR, end: 25 * HOUR };
    const timeline = outageTimeline([c], outage, linkerdSchedule(config));

    const attempts = linkerdRefreshAttempts(0, [true, ...Array<boolean>(400).fill(false)], config).slice(1);
    const failed = attempts.filter((a) => a.at >= outage.start && a.at < outage.end);
    const renewedAt = attempts.find((a) => a.at >= outage.end)!.at;
    expect(failed[0]!.at).toBeCloseTo(16.8 * HOUR, 6);
    expect(timeline.fates[0]).toMatchObject({ failedAttempts: failed.length, expiredAt: DAY });
    expect(timeline.fates[0]!.renewedAt).toBeCloseTo(renewedAt, 6);
    expect(timeline.firstExpiry).toBe(DAY);
  });

  it('an outage that ends before any renewal is due costs nothing', () => {
    const timeline = outageTimeline(
      [cert('spiffe://w', 0, DAY, 'root')],
      { start: HOUR, end: 11 * HOUR },
      istioSchedule(istioRotationConfig(), seeded('quiet')),
    );
    expect(timeline.fates[0]!.failedAttempts).toBe(0);
    expect(timeline.firstExpiry).toBeUndefined();
  });
});
