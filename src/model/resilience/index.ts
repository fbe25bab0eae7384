// Retry and breaker *policies*: pure deciders over virtual time and an injected Rng. The retry layer of a sidecar or
// gRPC client acts on them. Sources per file; REFERENCE §2.5, §3, §4, §5.
export * from './attempt-result.ts';
export * from './backoff.ts';
export * from './envoy-retry-budget.ts';
export * from './envoy-retry-on.ts';
export * from './failure-accrual.ts';
export * from './grpc-retry-policy.ts';
export * from './grpc-throttle.ts';
export * from './tps-budget.ts';
