// Envoy's router retry conditions (`retry_on`) for gRPC traffic, and Istio's default retry policy. Semantics from Envoy
// `source/common/router/retry_state_impl.cc` (`parseRetryOn`, `wouldRetryFromHeaders`, `wouldRetryFromReset`) and istio
// `pilot/pkg/networking/core/route/retry/retry.go` (`defaultPolicy`, `parseRetryOn`); REFERENCE §3.1–3.2, traps 4, 5, 12.
import type { AttemptResult } from './attempt-result.ts';

const httpConditions = [
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'refused-stream',
  'retriable-4xx',
  'retriable-status-codes',
  'retriable-headers',
  'envoy-ratelimited',
  'http3-post-connect-failure',
] as const;
const grpcConditions = ['cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable'] as const;

export type RetryOnCondition = (typeof httpConditions)[number] | (typeof grpcConditions)[number];

/** The gRPC status each gRPC condition matches. */
const grpcStatusOf: Record<(typeof grpcConditions)[number], number> = {
  cancelled: 1,
  'deadline-exceeded': 4,
  'resource-exhausted': 8,
  internal: 13,
  unavailable: 14,
};

/** The codes Go's `http.StatusText` knows: Istio moves exactly these from `retryOn` to retriable status codes. */
const knownHttpStatus = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408,
  409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

const known: ReadonlySet<string> = new Set<string>([...httpConditions, ...grpcConditions]);

export interface ParsedRetryOn {
  readonly conditions: readonly RetryOnCondition[];
  /** Status codes written in `retryOn`; when there are any, `retriable-status-codes` is among `conditions` (Istio). */
  readonly statusCodes: readonly number[];
}

/**
 * Splits a `retryOn` string as Istio then Envoy do: comma-separated, blanks trimmed, empty items skipped, integers that
 * are HTTP status codes moved to the retriable status codes. Throws on anything Envoy would not accept.
 */
export function parseRetryOn(retryOn: string): ParsedRetryOn {
  const conditions: RetryOnCondition[] = [];
  const statusCodes: number[] = [];
  for (const raw of retryOn.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    if (/^[+-]?\d+$/.test(item) && knownHttpStatus.has(Number(item))) statusCodes.push(Number(item));
    else if (known.has(item)) conditions.push(item as RetryOnCondition);
    else {
      throw new Error(
        `unknown retryOn condition "${item}" in "${retryOn}": expected an HTTP status code or one of ${[...httpConditions, ...grpcConditions].join(', ')}`,
      );
    }
  }
  if (statusCodes.length > 0 && !conditions.includes('retriable-status-codes')) conditions.push('retriable-status-codes');
  return { conditions, statusCodes };
}

/**
 * Whether Envoy retries an attempt under `retryOn` (and `retriableStatusCodes`, used only with `retriable-status-codes`).
 * - A response: `5xx` matches :status 500–599, `gateway-error` 502–504, `retriable-4xx` 409, `retriable-status-codes`
 *   the listed codes; gRPC conditions match grpc-status only when it came in the headers (Trailers-Only), never trailers.
 *   A gRPC error response has :status 200, so `5xx` never sees it.
 * - No response: an overflow is never retried; a connect failure is retried by `connect-failure` and
 *   `reset-before-request`, a refused stream by `refused-stream`; every reset, refused stream, connect failure and
 *   per-try timeout (Envoy resets the stream on it) by `reset`, `5xx` or `gateway-error`.
 * `retriable-headers`, `envoy-ratelimited` and `http3-post-connect-failure` are accepted and match nothing: meshsim has
 * no retriable headers, no rate-limit filter and no HTTP/3.
 */
export function envoyRetryOn(retryOn: string, retriableStatusCodes: readonly number[] = []): (r: AttemptResult) => boolean {
  const parsed = parseRetryOn(retryOn);
  const on = new Set(parsed.conditions);
  const fiveXx = on.has('5xx');
  const gatewayError = on.has('gateway-error');
  const anyReset = on.has('reset') || fiveXx || gatewayError;
  const connectFailure = anyReset || on.has('connect-failure') || on.has('reset-before-request');
  const refusedStream = anyReset || on.has('refused-stream');
  const retriable4xx = on.has('retriable-4xx');
  const codes = on.has('retriable-status-codes') ? new Set([...retriableStatusCodes, ...parsed.statusCodes]) : new Set<number>();
  const grpcStatuses = new Set(grpcConditions.filter((c) => on.has(c)).map((c) => grpcStatusOf[c]));

  const fromHeaders = (r: AttemptResult): boolean => {
    const s = r.httpStatus;
    if (fiveXx && s >= 500 && s < 600) return true;
    if (gatewayError && s >= 502 && s <= 504) return true;
    if (retriable4xx && s === 409) return true;
    if (codes.has(s)) return true;
    return r.grpcInHeaders && grpcStatuses.has(r.grpcStatus);
  };

  return (r) => {
    switch (r.kind) {
      case 'response':
        return fromHeaders(r);
      case 'connect-failure':
        return connectFailure;
      case 'refused-stream':
        return refusedStream;
      case 'reset':
      case 'per-try-timeout':
        return anyReset;
      case 'overflow':
        return false;
    }
  };
}

export interface IstioRetryPolicy {
  /** Retries after the first attempt (Envoy `num_retries`). Istio's YAML `attempts` is this number, not the total. */
  readonly numRetries: number;
  /** numRetries + 1. */
  readonly maxAttempts: number;
  readonly retryOn: string;
  readonly retriableStatusCodes: readonly number[];
  /** `previous_hosts` rejects endpoints already tried; none under consistent hashing. */
  readonly retryHostPredicate: 'previous_hosts' | 'none';
  readonly hostSelectionRetryMaxAttempts: number;
}

/** The policy Istio gives a route whose VirtualService sets no `retries` (REFERENCE §3.2). */
export const istioDefaultRetryPolicy: IstioRetryPolicy = Object.freeze({
  numRetries: 2,
  maxAttempts: 3,
  retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes',
  retriableStatusCodes: Object.freeze([503]),
  retryHostPredicate: 'previous_hosts',
  hostSelectionRetryMaxAttempts: 5,
});

/** The same under a consistent-hash load balancer, where a retry must stay on the hashed endpoint. */
export const istioConsistentHashRetryPolicy: IstioRetryPolicy = Object.freeze({ ...istioDefaultRetryPolicy, retryHostPredicate: 'none' });
