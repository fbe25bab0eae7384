// What Envoy's router feeds a host's outlier detector for one attempt. Responses: the :status, or the grpc-status of a
// Trailers-Only response mapped by `Grpc::Utility::grpcToHttpStatus` (`source/common/grpc/status.cc`); a grpc-status in
// trailers is never fed (`router.cc onUpstreamHeaders`, envoy#8228). Failures without a response: `Outlier::Result`
// values, mapped to HTTP codes by `resultToHttpCode` unless local-origin errors are split (REFERENCE §1.2, §1.8).
import type { AttemptKind } from '../resilience/index.ts';

/** Envoy `Grpc::Utility::grpcToHttpStatus`: the HTTP code standing for a gRPC status; unknown values give 500. */
export function grpcToHttp(status: number): number {
  return GRPC_TO_HTTP[status] ?? 500;
}

// Indexed by gRPC status code 0..16.
const GRPC_TO_HTTP: readonly number[] = [
  200, // OK
  499, // CANCELLED
  500, // UNKNOWN
  400, // INVALID_ARGUMENT
  504, // DEADLINE_EXCEEDED
  404, // NOT_FOUND
  409, // ALREADY_EXISTS
  403, // PERMISSION_DENIED
  429, // RESOURCE_EXHAUSTED
  400, // FAILED_PRECONDITION
  409, // ABORTED
  400, // OUT_OF_RANGE
  501, // UNIMPLEMENTED
  500, // INTERNAL
  503, // UNAVAILABLE
  500, // DATA_LOSS
  401, // UNAUTHENTICATED
];

/** Envoy `Http::CodeUtility::is5xx`. */
export const is5xx = (code: number): boolean => code >= 500 && code < 600;

/** Envoy `Http::CodeUtility::isGatewayError`: 502, 503, 504. */
export const isGatewayError = (code: number): boolean => code >= 502 && code <= 504;

/** Envoy `Upstream::Outlier::Result`: what a caller reports about a host other than a response code. */
export type OutlierResult =
  | 'localOriginConnectFailed'
  | 'localOriginTimeout'
  | 'localOriginConnectSuccess'
  | 'localOriginConnectSuccessFinal'
  | 'extOriginRequestFailed'
  | 'extOriginRequestSuccess';

/**
 * Envoy `DetectorHostMonitorImpl::resultToHttpCode`, used when local-origin errors are not split: connect failure → 503,
 * timeout → 504, request failure → 500, success → 200; a connect success of a two-layer protocol (HTTP) feeds nothing,
 * so as not to hide the response code that follows.
 */
export function resultToHttpCode(result: OutlierResult): number | undefined {
  switch (result) {
    case 'extOriginRequestSuccess':
    case 'localOriginConnectSuccessFinal':
      return 200;
    case 'localOriginTimeout':
      return 504;
    case 'localOriginConnectFailed':
      return 503;
    case 'extOriginRequestFailed':
      return 500;
    case 'localOriginConnectSuccess':
      return undefined;
  }
}

/**
 * The result Envoy's router reports for an attempt that got no response headers, or `undefined` when it reports
 * nothing. A per-try (or route) timeout is `LocalOriginTimeout` (`onPerTryTimeout`, `onResponseTimeout`). Every
 * upstream reset — failed connect, RST_STREAM, refused stream, dropped connection — is `LocalOriginConnectFailed`
 * (`onUpstreamReset`, whose TODO admits resets from the wire should be external-origin). A pool overflow never reached
 * a host and feeds nothing.
 */
export function localOriginResult(kind: Exclude<AttemptKind, 'response'>): OutlierResult | undefined {
  switch (kind) {
    case 'connect-failure':
    case 'reset':
    case 'refused-stream':
      return 'localOriginConnectFailed';
    case 'per-try-timeout':
      return 'localOriginTimeout';
    case 'overflow':
      return undefined;
  }
}

export interface AttemptForOutlier {
  readonly kind: AttemptKind;
  /** 0..16, the grpc-status of a response. */
  readonly grpcStatus: number;
  /** True for Trailers-Only responses (grpc-status in the HEADERS frame). */
  readonly grpcInHeaders: boolean;
  /** :status of the response headers; 200 when not given (every gRPC response). */
  readonly httpStatus?: number;
}

/**
 * The HTTP code fed to the detector for an attempt when local-origin errors are not split, or `undefined` when
 * nothing is fed. A Trailers-Only response feeds its grpc-status mapped; a response whose grpc-status comes in trailers
 * feeds its :status (200), so a failed streaming RPC looks like a success.
 */
export function httpCodeForAttempt(attempt: AttemptForOutlier): number | undefined {
  if (attempt.kind === 'response') return attempt.grpcInHeaders ? grpcToHttp(attempt.grpcStatus) : (attempt.httpStatus ?? 200);
  const result = localOriginResult(attempt.kind);
  return result === undefined ? undefined : resultToHttpCode(result);
}
