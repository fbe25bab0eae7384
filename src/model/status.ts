// gRPC status codes (grpc/grpc doc/statuscodes.md) and the outcome of an RPC as a value:
// a status, the Envoy-style response flag that explains a local reply, and whether a server's
// grpc-status came in trailers after a normal response (invisible to Envoy; see REFERENCE §1.8).

export const Status = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;
export type Status = (typeof Status)[keyof typeof Status];
export type StatusName = keyof typeof Status;

export const statusNames: readonly StatusName[] = Object.keys(Status) as StatusName[];

export const statusName = (status: Status): StatusName => statusNames[status] as StatusName;

/** How an RPC ended. Outcomes are shared immutable values; compare `status`, never identity. */
export interface Outcome {
  readonly status: Status;
  /** Envoy response flag explaining a local reply (`UO`, `UH`, `UF`, `UT`…), or '' for none. */
  readonly flag: string;
  /** True when the server sent grpc-status in trailers after a normal response. */
  readonly inTrailers: boolean;
  /** grpc-retry-pushback-ms sent by the server (negative: do not retry), undefined when absent. */
  readonly pushbackMs: number | undefined;
}

const cache = new Map<string, Outcome>();

/** The shared outcome value for a status, flag and trailer placement. */
export function outcome(status: Status, flag = '', inTrailers = false, pushbackMs?: number): Outcome {
  const key = `${status}|${flag}|${inTrailers}|${pushbackMs}`;
  let o = cache.get(key);
  if (!o) {
    o = Object.freeze({ status, flag, inTrailers, pushbackMs });
    cache.set(key, o);
  }
  return o;
}

export const OK = outcome(Status.OK);
export const DEADLINE_EXCEEDED = outcome(Status.DEADLINE_EXCEEDED);
export const CANCELLED = outcome(Status.CANCELLED);
export const RESOURCE_EXHAUSTED = outcome(Status.RESOURCE_EXHAUSTED);
