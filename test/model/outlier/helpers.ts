// Shared helpers for the outlier-detection tests: scripted and seeded randomness, host sets, and feeding results.
import type { Rng } from '../../../src/engine/index.ts';
import { type OutlierConfigInput, OutlierDetector, resolveOutlierConfig } from '../../../src/model/outlier/index.ts';
import { scripted, seeded as seededStream } from '../../helpers/rng.ts';

export { scripted } from '../../helpers/rng.ts';

/** A fixed-seed stream for a test. */
export const seeded = (name: string, seed = 1): Rng => seededStream(name, seed, 'test/outlier/');

/** Hosts 0..n−1. */
export const hosts = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** A detector over hosts 0..n−1; the default rng draws nothing (a draw fails the test). */
export function detector(n: number, config: OutlierConfigInput = {}, rng: Rng = scripted()): OutlierDetector {
  return new OutlierDetector(resolveOutlierConfig(config), hosts(n), rng);
}

/** Feeds `count` responses with `code` from `host` at `now`. */
export function feed(d: OutlierDetector, host: number, code: number, count: number, now: number): void {
  for (let k = 0; k < count; k++) d.putResult(host, code, now);
}

/** Feeds `total` responses from `host` at `now`, of which `failures` are 500 (first) and the rest 200. */
export function feedRate(d: OutlierDetector, host: number, total: number, failures: number, now: number): void {
  for (let k = 0; k < total; k++) d.putResult(host, k < failures ? 500 : 200, now);
}

/** Success-rate / failure-percentage settings with the consecutive detectors switched off (threshold 0 never fires). */
export const intervalOnly: OutlierConfigInput = { consecutive5xx: 0, consecutiveGatewayFailure: 0, maxEjectionPercent: 100 };
