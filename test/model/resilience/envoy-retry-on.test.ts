// Envoy's retry_on conditions over every kind of finished attempt, and Istio's default policy (REFERENCE §3.1–3.2,
// traps 4, 5, 12).
import { describe, expect, it } from 'vitest';
import {
  type AttemptResult,
  envoyRetryOn,
  grpcResponse,
  httpResponse,
  istioConsistentHashRetryPolicy,
  istioDefaultRetryPolicy,
  parseRetryOn,
  transportFailure,
} from '../../../src/model/resilience/index.ts';

const results: Record<string, AttemptResult> = {
  'connect failure': transportFailure('connect-failure'),
  'refused stream': transportFailure('refused-stream'),
  reset: transportFailure('reset'),
  'per-try timeout': transportFailure('per-try-timeout'),
  overflow: transportFailure('overflow'),
  'HTTP 500': httpResponse(500),
  'HTTP 502': httpResponse(502),
  'HTTP 503': httpResponse(503),
  'HTTP 504': httpResponse(504),
  'HTTP 409': httpResponse(409),
  'HTTP 200': httpResponse(200),
  'gRPC OK': grpcResponse(0, { inHeaders: false }),
  'gRPC CANCELLED, Trailers-Only': grpcResponse(1),
  'gRPC DEADLINE_EXCEEDED, Trailers-Only': grpcResponse(4),
  'gRPC RESOURCE_EXHAUSTED, Trailers-Only': grpcResponse(8),
  'gRPC INTERNAL, Trailers-Only': grpcResponse(13),
  'gRPC UNAVAILABLE, Trailers-Only': grpcResponse(14),
  'gRPC UNKNOWN, Trailers-Only': grpcResponse(2),
  'gRPC CANCELLED in trailers': grpcResponse(1, { inHeaders: false }),
  'gRPC DEADLINE_EXCEEDED in trailers': grpcResponse(4, { inHeaders: false }),
  'gRPC RESOURCE_EXHAUSTED in trailers': grpcResponse(8, { inHeaders: false }),
  'gRPC INTERNAL in trailers': grpcResponse(13, { inHeaders: false }),
  'gRPC UNAVAILABLE in trailers': grpcResponse(14, { inHeaders: false }),
};

const anyReset = ['connect failure', 'refused stream', 'reset', 'per-try timeout'];

/** For each retryOn, exactly the results it retries; every other result in the table is not retried. */
const table: [retryOn: string, codes: number[], retried: string[]][] = [
  ['5xx', [], [...anyReset, 'HTTP 500', 'HTTP 502', 'HTTP 503', 'HTTP 504']],
  ['gateway-error', [], [...anyReset, 'HTTP 502', 'HTTP 503', 'HTTP 504']],
  ['reset', [], anyReset],
  ['reset-before-request', [], ['connect failure']],
  ['connect-failure', [], ['connect failure']],
  ['refused-stream', [], ['refused stream']],
  ['retriable-4xx', [], ['HTTP 409']],
  ['retriable-status-codes', [503], ['HTTP 503']],
  ['retriable-status-codes', [], []],
  ['cancelled', [], ['gRPC CANCELLED, Trailers-Only']],
  ['deadline-exceeded', [], ['gRPC DEADLINE_EXCEEDED, Trailers-Only']],
  ['resource-exhausted', [], ['gRPC RESOURCE_EXHAUSTED, Trailers-Only']],
  ['internal', [], ['gRPC INTERNAL, Trailers-Only']],
  ['unavailable', [], ['gRPC UNAVAILABLE, Trailers-Only']],
  ['retriable-headers', [], []],
  ['envoy-ratelimited', [], []],
  ['http3-post-connect-failure', [], []],
  [
    istioDefaultRetryPolicy.retryOn,
    [...istioDefaultRetryPolicy.retriableStatusCodes],
    ['connect failure', 'refused stream', 'HTTP 503', 'gRPC CANCELLED, Trailers-Only', 'gRPC UNAVAILABLE, Trailers-Only'],
  ],
];

describe('Envoy retry_on', () => {
  it.each(table)('%s (codes %j) retries exactly its results', (retryOn, codes, retried) => {
    const retries = envoyRetryOn(retryOn, codes);
    const got = Object.entries(results)
      .filter(([, r]) => retries(r))
      .map(([name]) => name);
    expect(got.sort()).toEqual([...retried].sort());
  });

  it('unavailable retries UNAVAILABLE in the headers (Trailers-Only) but not the same status in trailers', () => {
    const retries = envoyRetryOn('unavailable');
    expect(retries(grpcResponse(14, { inHeaders: true }))).toBe(true);
    expect(retries(grpcResponse(14, { inHeaders: false }))).toBe(false);
  });

  it('5xx does not match a gRPC error response, whose :status is 200', () => {
    const retries = envoyRetryOn('5xx');
    for (const status of [1, 2, 4, 8, 13, 14]) expect(retries(grpcResponse(status))).toBe(false);
  });

  it('a per-try timeout is retried under gateway-error, 5xx and reset, not under Istio’s default list (istio#17613)', () => {
    const timeout = transportFailure('per-try-timeout');
    expect(envoyRetryOn('gateway-error')(timeout)).toBe(true);
    expect(envoyRetryOn('5xx')(timeout)).toBe(true);
    expect(envoyRetryOn('reset')(timeout)).toBe(true);
    expect(envoyRetryOn(istioDefaultRetryPolicy.retryOn, [503])(timeout)).toBe(false);
    expect(envoyRetryOn(`${istioDefaultRetryPolicy.retryOn},gateway-error`, [503])(timeout)).toBe(true);
  });

  it('Istio’s default policy retries a connect failure, an Envoy local reply UNAVAILABLE (Trailers-Only) and a 503', () => {
    const retries = envoyRetryOn(istioDefaultRetryPolicy.retryOn, istioDefaultRetryPolicy.retriableStatusCodes);
    expect(retries(transportFailure('connect-failure'))).toBe(true);
    expect(retries(grpcResponse(14, { httpStatus: 200, inHeaders: true }))).toBe(true);
    expect(retries(httpResponse(503))).toBe(true);
  });

  it('an overflow of the local pool is never retried, whatever the conditions', () => {
    const all = 'reset,5xx,gateway-error,connect-failure,refused-stream,reset-before-request,unavailable';
    expect(envoyRetryOn(all)(transportFailure('overflow'))).toBe(false);
  });

  it('retriable status codes count only when retriable-status-codes is in retryOn', () => {
    expect(envoyRetryOn('5xx', [409])(httpResponse(409))).toBe(false);
    expect(envoyRetryOn('5xx,retriable-status-codes', [409])(httpResponse(409))).toBe(true);
  });
});

describe('retryOn parsing (Istio then Envoy)', () => {
  it('status codes written in retryOn become retriable status codes and switch retriable-status-codes on', () => {
    expect(parseRetryOn(' 5xx, 503 ,,unavailable,409')).toEqual({ conditions: ['5xx', 'unavailable', 'retriable-status-codes'], statusCodes: [503, 409] });
    const retries = envoyRetryOn('connect-failure,503');
    expect(retries(httpResponse(503))).toBe(true);
    expect(retries(httpResponse(502))).toBe(false);
  });

  it('codes from retryOn and from the argument both count', () => {
    const retries = envoyRetryOn('409', [429]);
    expect(retries(httpResponse(409))).toBe(true);
    expect(retries(httpResponse(429))).toBe(true);
  });

  it('an unknown condition is an error naming it', () => {
    expect(() => envoyRetryOn('connect-failure,retriable-status-code')).toThrowErrorMatchingInlineSnapshot(
      `[Error: unknown retryOn condition "retriable-status-code" in "connect-failure,retriable-status-code": expected an HTTP status code or one of 5xx, gateway-error, reset, reset-before-request, connect-failure, refused-stream, retriable-4xx, retriable-status-codes, retriable-headers, envoy-ratelimited, http3-post-connect-failure, cancelled, deadline-exceeded, internal, resource-exhausted, unavailable]`,
    );
  });

  it('a number that is not a known HTTP status is an unknown condition, as in Istio (Go http.StatusText)', () => {
    expect(() => parseRetryOn('599')).toThrow(/unknown retryOn condition "599"/);
    expect(() => parseRetryOn('-1')).toThrow(/unknown retryOn condition "-1"/);
    expect(parseRetryOn('').conditions).toEqual([]);
  });
});

describe('Istio default retry policy', () => {
  it('is 2 retries (3 attempts) on connect-failure, refused-stream, unavailable, cancelled and 503, avoiding previous hosts', () => {
    expect(istioDefaultRetryPolicy).toEqual({
      numRetries: 2,
      maxAttempts: 3,
      retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes',
      retriableStatusCodes: [503],
      retryHostPredicate: 'previous_hosts',
      hostSelectionRetryMaxAttempts: 5,
    });
  });

  it('drops the previous-hosts predicate under consistent hashing', () => {
    expect(istioConsistentHashRetryPolicy.retryHostPredicate).toBe('none');
    expect(istioConsistentHashRetryPolicy.retryOn).toBe(istioDefaultRetryPolicy.retryOn);
  });
});
