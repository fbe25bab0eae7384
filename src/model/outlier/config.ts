// Envoy's `OutlierDetection` cluster config with its defaults resolved once, and Istio's mapping of a
// DestinationRule's `outlierDetection` onto it. Envoy `api/envoy/config/cluster/v3/outlier_detection.proto`,
// `outlier_detection_impl.cc` (`DetectorConfig`, `DetectorImpl::create`); Istio `pilot/pkg/networking/core/
// cluster_traffic_policy.go` `applyOutlierDetection` (REFERENCE §1.1, §1.7).
// Field names are Envoy's in camelCase; times are in seconds of virtual time.

/** How `max_ejection_percent` limits ejections (REFERENCE §1.4, VERSIONED). */
export type EjectionCapRule =
  /** Envoy ≥ 1.27 (PR #27624): eject only if 100·(active+1)/hosts ≤ max. Small clusters never eject under 10 %. */
  | 'current'
  /** Envoy ≥ 1.31 `always_eject_one_host: true` (PR #34796): as `current`, and always allowed while none is ejected. */
  | 'alwaysOne'
  /** Envoy before 2023 (envoy#3263): eject while 100·active/hosts < max, so the first ejection always goes through. */
  | 'pre2023';

export interface OutlierConfig {
  readonly consecutive5xx: number;
  readonly enforcingConsecutive5xx: number;
  readonly consecutiveGatewayFailure: number;
  readonly enforcingConsecutiveGatewayFailure: number;
  readonly splitExternalLocalOriginErrors: boolean;
  readonly consecutiveLocalOriginFailure: number;
  readonly enforcingConsecutiveLocalOriginFailure: number;
  /** Seconds between sweeps. */
  readonly interval: number;
  /** Seconds. */
  readonly baseEjectionTime: number;
  /** Seconds; max(300 s, baseEjectionTime) when not given. */
  readonly maxEjectionTime: number;
  /** Seconds; each ejection adds a uniform whole number of milliseconds in [0, maxEjectionTimeJitter]. */
  readonly maxEjectionTimeJitter: number;
  readonly maxEjectionPercent: number;
  readonly ejectionCapRule: EjectionCapRule;
  readonly successRateMinimumHosts: number;
  readonly successRateRequestVolume: number;
  /** Thousandths: 1900 means mean − 1.9·stdev. */
  readonly successRateStdevFactor: number;
  readonly enforcingSuccessRate: number;
  readonly enforcingLocalOriginSuccessRate: number;
  readonly failurePercentageThreshold: number;
  readonly enforcingFailurePercentage: number;
  readonly enforcingFailurePercentageLocalOrigin: number;
  readonly failurePercentageMinimumHosts: number;
  readonly failurePercentageRequestVolume: number;
}

/** What a scenario may set: any field, plus Envoy's `always_eject_one_host` (same as `ejectionCapRule: 'alwaysOne'`). */
export type OutlierConfigInput = Partial<OutlierConfig> & { readonly alwaysEjectOneHost?: boolean };

const DEFAULTS: Omit<OutlierConfig, 'maxEjectionTime' | 'ejectionCapRule'> = {
  consecutive5xx: 5,
  enforcingConsecutive5xx: 100,
  consecutiveGatewayFailure: 5,
  enforcingConsecutiveGatewayFailure: 0,
  splitExternalLocalOriginErrors: false,
  consecutiveLocalOriginFailure: 5,
  enforcingConsecutiveLocalOriginFailure: 100,
  interval: 10,
  baseEjectionTime: 30,
  maxEjectionTimeJitter: 0,
  maxEjectionPercent: 10,
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
};

/** Envoy's default `max_ejection_time`, seconds. */
export const DEFAULT_MAX_EJECTION_TIME = 300;

const PERCENTS = [
  'enforcingConsecutive5xx',
  'enforcingConsecutiveGatewayFailure',
  'enforcingConsecutiveLocalOriginFailure',
  'maxEjectionPercent',
  'enforcingSuccessRate',
  'enforcingLocalOriginSuccessRate',
  'failurePercentageThreshold',
  'enforcingFailurePercentage',
  'enforcingFailurePercentageLocalOrigin',
] as const;

/** Fills in Envoy's defaults; throws a RangeError for values Envoy rejects (max_ejection_time < base_ejection_time). */
export function resolveOutlierConfig(input: OutlierConfigInput = {}): OutlierConfig {
  const { alwaysEjectOneHost, maxEjectionTime, ejectionCapRule, ...rest } = input;
  const fields = { ...DEFAULTS, ...withoutUndefined(rest) };
  const config: OutlierConfig = {
    ...fields,
    maxEjectionTime: maxEjectionTime ?? Math.max(DEFAULT_MAX_EJECTION_TIME, fields.baseEjectionTime),
    ejectionCapRule: ejectionCapRule ?? (alwaysEjectOneHost ? 'alwaysOne' : 'current'),
  };
  if (!(config.interval > 0)) throw new RangeError(`interval must be > 0 s, not ${config.interval}`);
  if (!(config.baseEjectionTime >= 0)) throw new RangeError(`baseEjectionTime must be ≥ 0 s, not ${config.baseEjectionTime}`);
  if (config.maxEjectionTime < config.baseEjectionTime) {
    throw new RangeError(`maxEjectionTime (${config.maxEjectionTime} s) cannot be smaller than baseEjectionTime (${config.baseEjectionTime} s)`);
  }
  if (!(config.maxEjectionTimeJitter >= 0)) throw new RangeError(`maxEjectionTimeJitter must be ≥ 0 s, not ${config.maxEjectionTimeJitter}`);
  for (const name of PERCENTS) {
    const value = config[name];
    if (!(value >= 0 && value <= 100)) throw new RangeError(`${name} must be between 0 and 100, not ${value}`);
  }
  return config;
}

/** `object` without its undefined fields, so that spreading it keeps what it would override. */
export function withoutUndefined<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A DestinationRule's `trafficPolicy.outlierDetection` (istio/api `networking/v1alpha3/destination_rule.proto`). */
export interface IstioOutlierDetection {
  /** Default 5 (Envoy's); 0 disables. */
  consecutive5xxErrors?: number;
  /** Default off (Envoy's 5, not enforced); 0 disables. */
  consecutiveGatewayErrors?: number;
  splitExternalLocalOriginErrors?: boolean;
  consecutiveLocalOriginFailures?: number;
  /** Seconds, default 10. */
  interval?: number;
  /** Seconds, default 30. */
  baseEjectionTime?: number;
  /** Default 10. */
  maxEjectionPercent?: number;
  /** Default 0: no panic. */
  minHealthPercent?: number;
}

export interface IstioOutlierMapping {
  readonly outlier: OutlierConfig;
  /** The cluster's `common_lb_config.healthy_panic_threshold`, percent. */
  readonly healthyPanicThreshold: number;
}

/**
 * Istio's translation: a consecutive-error count N sets the threshold to N and its enforcement to 100 % (0 % when
 * N is 0, which disables it); success-rate ejection is always off (enforcing 0, and the local-origin one too in split
 * mode); local-origin settings apply only in split mode; there is no failure-percentage knob;
 * the panic threshold becomes `minHealthPercent`, 0 by default, so panic is off whenever outlier detection is set.
 */
export function fromIstio(istio: IstioOutlierDetection): IstioOutlierMapping {
  const input: { -readonly [K in keyof OutlierConfigInput]: OutlierConfigInput[K] } = { enforcingSuccessRate: 0 };
  if (istio.consecutive5xxErrors !== undefined) {
    input.consecutive5xx = istio.consecutive5xxErrors;
    input.enforcingConsecutive5xx = istio.consecutive5xxErrors > 0 ? 100 : 0;
  }
  if (istio.consecutiveGatewayErrors !== undefined) {
    input.consecutiveGatewayFailure = istio.consecutiveGatewayErrors;
    input.enforcingConsecutiveGatewayFailure = istio.consecutiveGatewayErrors > 0 ? 100 : 0;
  }
  if (istio.splitExternalLocalOriginErrors) {
    input.splitExternalLocalOriginErrors = true;
    input.enforcingLocalOriginSuccessRate = 0;
    if ((istio.consecutiveLocalOriginFailures ?? 0) > 0) {
      input.consecutiveLocalOriginFailure = istio.consecutiveLocalOriginFailures;
      input.enforcingConsecutiveLocalOriginFailure = 100;
    }
  }
  if (istio.interval !== undefined) input.interval = istio.interval;
  if (istio.baseEjectionTime !== undefined) input.baseEjectionTime = istio.baseEjectionTime;
  if (istio.maxEjectionPercent !== undefined && istio.maxEjectionPercent > 0) input.maxEjectionPercent = istio.maxEjectionPercent;
  return { outlier: resolveOutlierConfig(input), healthyPanicThreshold: istio.minHealthPercent ?? 0 };
}
