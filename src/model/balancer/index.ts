// The load-balancing policies a sidecar or gRPC client uses to pick an endpoint for each request, by the names
// scenarios give them (Istio `DestinationRule.trafficPolicy.loadBalancer.simple`, plus Linkerd's P2C).
import { type LeastRequestOptions, leastRequest } from './least-request.ts';
import { type P2cDistinctOptions, p2cDistinct } from './p2c-distinct.ts';
import { type RandomOptions, random } from './random.ts';
import { type RingHashOptions, ringHash } from './ring-hash.ts';
import { type RoundRobinOptions, roundRobin } from './round-robin.ts';
import type { Picker } from './types.ts';

export * from './edf-schedule.ts';
export * from './least-request.ts';
export * from './p2c-distinct.ts';
export * from './peak-ewma.ts';
export * from './random.ts';
export * from './ring-hash.ts';
export * from './round-robin.ts';
export * from './types.ts';
export { xxHash32 } from './xxhash32.ts';

/** Each policy's options. */
export interface PolicyOptions {
  ROUND_ROBIN: RoundRobinOptions;
  RANDOM: RandomOptions;
  LEAST_REQUEST: LeastRequestOptions;
  P2C_DISTINCT: P2cDistinctOptions;
  RING_HASH: RingHashOptions;
}

export type PolicyName = keyof PolicyOptions;

/** Factories by policy name; a name without its factory (or with the wrong options) fails to compile. */
export const pickers = {
  ROUND_ROBIN: roundRobin,
  RANDOM: random,
  LEAST_REQUEST: leastRequest,
  P2C_DISTINCT: p2cDistinct,
  RING_HASH: ringHash,
} satisfies { [K in PolicyName]: (options?: PolicyOptions[K]) => Picker };
