// Envoy's outlier-detection defaults resolved once, the max_ejection_time rule, and Istio's DestinationRule mapping
// (REFERENCE §1.1, §1.7).
import { describe, expect, it } from 'vitest';
import { fromIstio, resolveOutlierConfig } from '../../../src/model/outlier/index.ts';

describe('outlier config', () => {
  it('resolves Envoy defaults', () => {
    expect(resolveOutlierConfig()).toEqual({
      consecutive5xx: 5,
      enforcingConsecutive5xx: 100,
      consecutiveGatewayFailure: 5,
      enforcingConsecutiveGatewayFailure: 0,
      splitExternalLocalOriginErrors: false,
      consecutiveLocalOriginFailure: 5,
      enforcingConsecutiveLocalOriginFailure: 100,
      interval: 10,
      baseEjectionTime: 30,
      maxEjectionTime: 300,
      maxEjectionTimeJitter: 0,
      maxEjectionPercent: 10,
      ejectionCapRule: 'current',
      successRateMinimumHosts: 5,
      successRateRequestVolume: 100,
      successRateStdevFactor: 1900,
      enforcingSuccessRate: 100,
      enforcingLocalOriginSuccessRate: 100,
      failurePercentageThreshold: 85,
      enforcingFailurePercentage: 0,
      enforcingFailurePercentageLocalOrigin: 0,
      failurePercentageMinimumHosts: 5,
      failurePercentageRequestVolume: 50,
    });
  });

  it('max_ejection_time defaults to 300 s, or to base_ejection_time when that is larger', () => {
    expect(resolveOutlierConfig({ baseEjectionTime: 60 }).maxEjectionTime).toBe(300);
    expect(resolveOutlierConfig({ baseEjectionTime: 600 }).maxEjectionTime).toBe(600);
    expect(resolveOutlierConfig({ baseEjectionTime: 10, maxEjectionTime: 20 }).maxEjectionTime).toBe(20);
  });

  it('rejects max_ejection_time below base_ejection_time, with Envoy-like wording', () => {
    expect(() => resolveOutlierConfig({ baseEjectionTime: 30, maxEjectionTime: 20 })).toThrow(
      'maxEjectionTime (20 s) cannot be smaller than baseEjectionTime (30 s)',
    );
    expect(() => resolveOutlierConfig({ maxEjectionPercent: 101 })).toThrow('maxEjectionPercent must be between 0 and 100, not 101');
  });

  it('explicit undefined fields keep their defaults', () => {
    expect(resolveOutlierConfig({ interval: undefined }).interval).toBe(10);
  });
});

describe('Istio outlierDetection mapping', () => {
  it('an empty outlierDetection: Envoy defaults, success rate not enforced, panic threshold 0', () => {
    const { outlier, healthyPanicThreshold } = fromIstio({});
    expect(outlier).toMatchObject({
      consecutive5xx: 5,
      enforcingConsecutive5xx: 100,
      consecutiveGatewayFailure: 5,
      enforcingConsecutiveGatewayFailure: 0,
      enforcingSuccessRate: 0,
      enforcingFailurePercentage: 0,
      interval: 10,
      baseEjectionTime: 30,
      maxEjectionTime: 300,
      maxEjectionPercent: 10,
    });
    expect(healthyPanicThreshold).toBe(0);
  });

  it('consecutive5xxErrors and consecutiveGatewayErrors set the thresholds with enforcing 100; 0 disables', () => {
    expect(fromIstio({ consecutive5xxErrors: 3, consecutiveGatewayErrors: 2 }).outlier).toMatchObject({
      consecutive5xx: 3,
      enforcingConsecutive5xx: 100,
      consecutiveGatewayFailure: 2,
      enforcingConsecutiveGatewayFailure: 100,
    });
    expect(fromIstio({ consecutive5xxErrors: 0 }).outlier).toMatchObject({ consecutive5xx: 0, enforcingConsecutive5xx: 0 });
  });

  it('interval, baseEjectionTime, maxEjectionPercent and minHealthPercent carry over', () => {
    const { outlier, healthyPanicThreshold } = fromIstio({ interval: 5, baseEjectionTime: 400, maxEjectionPercent: 100, minHealthPercent: 30 });
    expect(outlier).toMatchObject({ interval: 5, baseEjectionTime: 400, maxEjectionTime: 400, maxEjectionPercent: 100 });
    expect(healthyPanicThreshold).toBe(30);
  });

  it('local-origin fields: split mode with consecutiveLocalOriginFailures enforced at 100, local success rate off', () => {
    expect(fromIstio({ splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailures: 2 }).outlier).toMatchObject({
      splitExternalLocalOriginErrors: true,
      consecutiveLocalOriginFailure: 2,
      enforcingConsecutiveLocalOriginFailure: 100,
      enforcingLocalOriginSuccessRate: 0,
    });
    expect(fromIstio({ consecutiveLocalOriginFailures: 2 }).outlier).toMatchObject({ splitExternalLocalOriginErrors: false, consecutiveLocalOriginFailure: 5 });
  });

  it('maxEjectionPercent 0 is treated as unset and stays at 10', () => {
    expect(fromIstio({ maxEjectionPercent: 0 }).outlier.maxEjectionPercent).toBe(10);
  });
});
