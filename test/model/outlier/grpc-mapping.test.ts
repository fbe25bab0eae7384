// What a gRPC attempt feeds Envoy's outlier detector: grpcToHttpStatus, Trailers-Only vs trailers, transport failures.
import { describe, expect, it } from 'vitest';
import { grpcToHttp, httpCodeForAttempt, is5xx, isGatewayError, localOriginResult, resultToHttpCode } from '../../../src/model/outlier/index.ts';
import { grpcResponse, transportFailure } from '../../../src/model/resilience/index.ts';
import { detector, feed } from './helpers.ts';

const statuses = Array.from({ length: 17 }, (_, s) => s);

describe('gRPC status → outlier detection', () => {
  it('grpcToHttp follows Envoy grpcToHttpStatus, unknown statuses giving 500', () => {
    expect(statuses.map(grpcToHttp)).toEqual([200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401]);
    expect(grpcToHttp(17)).toBe(500);
    expect(grpcToHttp(-1)).toBe(500);
  });

  it('UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE and DATA_LOSS count as 5xx', () => {
    expect(statuses.filter((s) => is5xx(grpcToHttp(s)))).toEqual([2, 4, 12, 13, 14, 15]);
  });

  it('only UNAVAILABLE and DEADLINE_EXCEEDED are gateway errors; RESOURCE_EXHAUSTED and CANCELLED are no errors', () => {
    expect(statuses.filter((s) => isGatewayError(grpcToHttp(s)))).toEqual([4, 14]);
    expect(is5xx(grpcToHttp(8))).toBe(false);
    expect(is5xx(grpcToHttp(1))).toBe(false);
  });

  it('a Trailers-Only response feeds its mapped grpc-status; grpc-status in trailers after :status 200 feeds 200', () => {
    expect(httpCodeForAttempt(grpcResponse(14))).toBe(503);
    expect(httpCodeForAttempt(grpcResponse(4))).toBe(504);
    expect(httpCodeForAttempt(grpcResponse(14, { inHeaders: false }))).toBe(200);
    expect(httpCodeForAttempt(grpcResponse(13, { inHeaders: false }))).toBe(200);
    expect(httpCodeForAttempt({ kind: 'response', grpcStatus: 14, grpcInHeaders: false, httpStatus: 502 })).toBe(502);
  });

  it('errors in trailers never eject; the same errors Trailers-Only eject at the fifth', () => {
    const d = detector(10);
    for (let k = 0; k < 20; k++) d.putResult(0, httpCodeForAttempt(grpcResponse(14, { inHeaders: false }))!, 1);
    expect(d.isEjected(0)).toBe(false);
    for (let k = 0; k < 5; k++) d.putResult(1, httpCodeForAttempt(grpcResponse(14))!, 1);
    expect(d.isEjected(1)).toBe(true);
  });

  it('failures without a response: connect failure and every reset → 503, timeout → 504, pool overflow → nothing', () => {
    expect(httpCodeForAttempt(transportFailure('connect-failure'))).toBe(503);
    expect(httpCodeForAttempt(transportFailure('reset'))).toBe(503);
    expect(httpCodeForAttempt(transportFailure('refused-stream'))).toBe(503);
    expect(httpCodeForAttempt(transportFailure('per-try-timeout'))).toBe(504);
    expect(httpCodeForAttempt(transportFailure('overflow'))).toBeUndefined();
    expect(localOriginResult('reset')).toBe('localOriginConnectFailed');
  });

  it('resultToHttpCode: request failed → 500, request success → 200, a connect success of HTTP feeds nothing', () => {
    expect(resultToHttpCode('extOriginRequestFailed')).toBe(500);
    expect(resultToHttpCode('extOriginRequestSuccess')).toBe(200);
    expect(resultToHttpCode('localOriginConnectSuccessFinal')).toBe(200);
    expect(resultToHttpCode('localOriginConnectSuccess')).toBeUndefined();
    expect(resultToHttpCode('localOriginConnectFailed')).toBe(503);
    expect(resultToHttpCode('localOriginTimeout')).toBe(504);
  });

  it('not split: local-origin failures count as 5xx and gateway errors; split: they only count on their own counter', () => {
    const mixed = detector(10);
    for (let k = 0; k < 5; k++) mixed.putLocalOrigin(0, 'localOriginConnectFailed', 1);
    expect(mixed.isEjected(0)).toBe(true);
    expect(mixed.detected.consecutiveGatewayFailure).toBe(1);

    const split = detector(10, { splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailure: 3 });
    feed(split, 0, 500, 4, 1);
    split.putLocalOrigin(0, 'localOriginConnectFailed', 1);
    split.putLocalOrigin(0, 'localOriginTimeout', 1);
    expect(split.state(0)).toMatchObject({ consecutive5xx: 4, consecutiveLocalOriginFailure: 2, ejected: false });
    split.putLocalOrigin(0, 'localOriginConnectSuccess', 1);
    expect(split.state(0)?.consecutiveLocalOriginFailure).toBe(0);
    for (let k = 0; k < 3; k++) split.putLocalOrigin(1, 'localOriginConnectFailed', 1);
    expect(split.isEjected(1)).toBe(true);
    expect(split.enforced.consecutiveLocalOriginFailure).toBe(1);
    split.putLocalOrigin(2, 'extOriginRequestFailed', 1);
    expect(split.state(2)).toMatchObject({ consecutive5xx: 1, consecutiveGatewayFailure: 1 });
  });
});
