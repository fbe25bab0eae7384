// A sidecar's retry policy and retry gate for one destination, from the scenario and the proxy
// profile: Istio/Envoy (VirtualService retries, Istio's default policy when a route has none,
// max_retries or a retry budget; REFERENCE §3, §2.5) or Linkerd (ServiceProfile retries limited by
// a budget only, or 2.16+ annotation retries with back-off and no budget; §4.1, §4.2).
import type { Rng } from '../../engine/index.ts';
import type { RouteSpec, TrafficPolicySpec } from '../../scenario/schema.ts';
import { envoyBackoff, envoyRetryGate, envoyRetryOn, ISTIO_MAX_RETRIES, istioDefaultRetryPolicy, linkerdBackoff, tpsBudget } from '../resilience/index.ts';
import { Status } from '../status.ts';
import { type AttemptResult, noRetries, openGate, type RetryGate, type RetryPolicy } from './retry-types.ts';

const INF = Number.POSITIVE_INFINITY;

/** Linkerd's gRPC retry conditions by annotation name (retry.linkerd.io/grpc). */
const linkerdGrpc: Record<string, number> = {
  cancelled: Status.CANCELLED,
  'deadline-exceeded': Status.DEADLINE_EXCEEDED,
  internal: Status.INTERNAL,
  'resource-exhausted': Status.RESOURCE_EXHAUSTED,
  unavailable: Status.UNAVAILABLE,
};

function envoyPolicy(route: RouteSpec | undefined, tp: TrafficPolicySpec | undefined): RetryPolicy {
  const r = route?.retries;
  const retryOn = r?.retryOn ?? istioDefaultRetryPolicy.retryOn;
  const condition = envoyRetryOn(retryOn, r ? undefined : istioDefaultRetryPolicy.retriableStatusCodes);
  const backoff = envoyBackoff({ base: r?.backoff ?? 0.025 });
  return {
    // Istio counts retries; with no `retries` on the route its default policy applies (2 retries).
    maxRetries: r ? r.attempts : istioDefaultRetryPolicy.numRetries,
    perTryTimeout: r?.perTryTimeout ?? INF,
    routeTimeout: route?.timeout ?? INF,
    // Istio sets previous_hosts, except under consistent hashing where a retry must stay on the hashed host.
    avoidPreviousHosts: !tp?.loadBalancer?.consistentHash,
    retryable: condition,
    backoff: (retry: number, rng: Rng) => backoff.delay(retry, rng),
  };
}

function envoyGate(tp: TrafficPolicySpec | undefined): RetryGate {
  const http = tp?.connectionPool.http;
  const budget = http?.retryBudget;
  const gate = budget
    ? envoyRetryGate({ budgetPercent: budget.percent, minRetryConcurrency: budget.minRetryConcurrency })
    : envoyRetryGate({ maxRetries: http?.maxRetries ?? ISTIO_MAX_RETRIES });
  return { settled() {}, allows: (_now, active, pending, retries) => gate.allows(active, pending, retries), balance: () => Number.NaN };
}

function linkerd(route: RouteSpec | undefined): { policy: RetryPolicy; gate: RetryGate } {
  // A route with ServiceProfile fields has a profile, and then annotation retries are ignored (§4.2).
  const profile = route?.isRetryable !== undefined || route?.retryBudget !== undefined;
  if (profile && !route?.isRetryable) return { policy: { ...noRetries, routeTimeout: route?.timeout ?? INF }, gate: openGate };
  if (route?.isRetryable) {
    // ServiceProfile: a response classified as failure is retried while the budget allows; no
    // attempt cap, no back-off; transport errors are not retried.
    const b = route.retryBudget ?? { retryRatio: 0.2, minRetriesPerSecond: 10, ttl: 10 };
    const budget = tpsBudget({ retryRatio: b.retryRatio, minRetriesPerSecond: b.minRetriesPerSecond, ttl: b.ttl });
    return {
      policy: {
        maxRetries: INF,
        perTryTimeout: INF,
        routeTimeout: route.timeout ?? INF,
        avoidPreviousHosts: false,
        retryable: (r: AttemptResult) => r.kind === 'response' && r.grpcStatus !== Status.OK,
        backoff: () => 0,
      },
      gate: { settled: (now) => budget.deposit(now), allows: (now) => budget.tryWithdraw(now), balance: (now) => budget.balance(now) },
    };
  }
  const a = route?.linkerdRetries;
  if (!a) return { policy: { ...noRetries, routeTimeout: route?.timeout ?? INF }, gate: openGate };
  const grpc = new Set(
    (a.grpc ?? '')
      .split(',')
      .map((c) => linkerdGrpc[c.trim()])
      .filter((c) => c !== undefined),
  );
  const backoff = linkerdBackoff({});
  return {
    policy: {
      maxRetries: a.limit,
      perTryTimeout: a.timeout ?? INF,
      routeTimeout: route?.timeout ?? INF,
      avoidPreviousHosts: false,
      // Always retryable: refused streams and per-try timeouts; gRPC conditions are checked in headers and trailers.
      retryable: (r: AttemptResult) => r.kind === 'refused-stream' || r.kind === 'per-try-timeout' || (r.kind === 'response' && grpc.has(r.grpcStatus)),
      backoff: (retry: number, rng: Rng) => backoff.delay(retry, rng),
    },
    gate: openGate,
  };
}

export function retryConfig(
  route: RouteSpec | undefined,
  tp: TrafficPolicySpec | undefined,
  proxy: 'envoy' | 'linkerd',
): { policy: RetryPolicy; gate: RetryGate } {
  if (proxy === 'linkerd') return linkerd(route);
  return { policy: envoyPolicy(route, tp), gate: envoyGate(tp) };
}
