// What a retry layer knows about one finished attempt, the input of every retry policy here. The kinds follow Envoy's
// router (`retry_state_impl.cc`: `wouldRetryFromHeaders` for responses, `wouldRetryFromReset` for the rest) and the
// status a gRPC client gives a transport failure (grpc/grpc doc/PROTOCOL-HTTP2.md, gRFC A6).

export type AttemptKind = 'response' | 'connect-failure' | 'reset' | 'refused-stream' | 'per-try-timeout' | 'overflow';

/**
 * - `response`: response headers arrived (a server's answer or an upstream proxy's local reply).
 * - `connect-failure`: no connection to the endpoint (Envoy reset reasons Local/RemoteConnectionFailure, ConnectionTimeout).
 * - `reset`: the stream or its connection was reset after the request was sent (RST_STREAM, connection termination).
 * - `refused-stream`: RST_STREAM(REFUSED_STREAM) or a GOAWAY that excluded the stream: the server application never saw it.
 * - `per-try-timeout`: the retry layer's own per-try timer fired before response headers; Envoy then resets the stream.
 * - `overflow`: the local connection pool refused the attempt (circuit breaker); Envoy never retries it.
 */
export interface AttemptResult {
  readonly kind: AttemptKind;
  /** `:status` of the response headers: 200 for every gRPC response, local replies to gRPC callers included; 0 without a response. */
  readonly httpStatus: number;
  /** 0..16. For a response, its grpc-status; otherwise the status a gRPC client reports for that failure (see `transportFailure`). */
  readonly grpcStatus: number;
  /** True for Trailers-Only responses (grpc-status in the HEADERS frame); false when grpc-status came in trailers after data. */
  readonly grpcInHeaders: boolean;
  /** `grpc-retry-pushback-ms`, when the response carried it; negative means "do not retry". */
  readonly pushbackMs?: number;
}

/** A gRPC response. The status goes in the headers (Trailers-Only) unless `inHeaders` is false; :status is 200. */
export function grpcResponse(grpcStatus: number, options: { inHeaders?: boolean; pushbackMs?: number; httpStatus?: number } = {}): AttemptResult {
  const result: AttemptResult = {
    kind: 'response',
    httpStatus: options.httpStatus ?? 200,
    grpcStatus,
    grpcInHeaders: options.inHeaders ?? true,
  };
  return options.pushbackMs === undefined ? result : { ...result, pushbackMs: options.pushbackMs };
}

/**
 * An HTTP response without grpc-status (e.g. a 503 from a proxy answering a non-gRPC request). Its `grpcStatus` is the
 * one gRPC clients derive from :status (grpc/grpc doc/http-grpc-status-mapping.md); a 2xx counts as OK here.
 */
export function httpResponse(httpStatus: number): AttemptResult {
  return { kind: 'response', httpStatus, grpcStatus: grpcStatusFromHttp(httpStatus), grpcInHeaders: false };
}

function grpcStatusFromHttp(httpStatus: number): number {
  if (httpStatus >= 200 && httpStatus < 300) return 0;
  switch (httpStatus) {
    case 400:
      return 13; // INTERNAL
    case 401:
      return 16; // UNAUTHENTICATED
    case 403:
      return 7; // PERMISSION_DENIED
    case 404:
      return 12; // UNIMPLEMENTED
    case 429:
    case 502:
    case 503:
    case 504:
      return 14; // UNAVAILABLE
    default:
      return 2; // UNKNOWN
  }
}

/**
 * An attempt that ended without response headers. Its `grpcStatus` is what a gRPC client reports: UNAVAILABLE (14) for
 * a failed connection, a refused stream, a reset or a pool overflow (a dropped connection and RST_STREAM(REFUSED_STREAM)
 * map to UNAVAILABLE in PROTOCOL-HTTP2.md; meshsim treats every reset so), DEADLINE_EXCEEDED (4) for a per-try timeout.
 */
export function transportFailure(kind: Exclude<AttemptKind, 'response'>): AttemptResult {
  return { kind, httpStatus: 0, grpcStatus: kind === 'per-try-timeout' ? 4 : 14, grpcInHeaders: false };
}
