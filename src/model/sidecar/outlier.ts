// Envoy outlier detection wired into one sidecar cluster (a client pod's view of one destination): the detector is
// per cluster and shared by the workers (Envoy runs it on the main thread and pushes host health to every worker),
// fed one result per attempt by the router, swept every `interval` on a grid from t = 0, and read by the balancer
// with the panic threshold. Ejecting a host drains this sidecar's connections to it. REFERENCE §1, §2.2.
import type { Simulation, Stream } from '../../engine/index.ts';
import type { OutlierDetectionSpec } from '../../scenario/schema.ts';
import {
  type Ejection,
  type EjectionKind,
  ENVOY_PANIC_THRESHOLD,
  fromIstio,
  grpcToHttp,
  healthyPanic,
  localOriginResult,
  type OutlierConfig,
  type OutlierConfigInput,
  OutlierDetector,
  resolveOutlierConfig,
  withoutUndefined,
} from '../outlier/index.ts';
import type { Pod } from '../pod/pod.ts';
import type { Outcome } from '../status.ts';
import type { Endpoints } from '../transport/endpoints.ts';
import { attemptResult } from './retry-types.ts';

export interface ResolvedOutlier {
  readonly config: OutlierConfig;
  /** Percent; 0 disables panic. */
  readonly panicThreshold: number;
}

/** The scenario's `outlierDetection` as Envoy config: Istio's translation or a plain Envoy cluster, then `envoy:` overrides. */
export function resolveOutlier(spec: OutlierDetectionSpec): ResolvedOutlier {
  const { envoy = {}, profile, minHealthPercent, ...istio } = spec;
  const { healthyPanicThreshold, alwaysEjectOneHost, ejectionCapRule, maxEjectionTime, ...envoyFields } = envoy;
  let base: OutlierConfigInput;
  let panic: number;
  if (profile === 'istio') {
    const { maxEjectionTime: _derived, ejectionCapRule: _rule, ...mapped } = fromIstio({ ...istio, minHealthPercent }).outlier;
    base = mapped;
    panic = minHealthPercent ?? 0;
  } else {
    base = {
      consecutive5xx: istio.consecutive5xxErrors,
      consecutiveGatewayFailure: istio.consecutiveGatewayErrors,
      enforcingConsecutiveGatewayFailure: istio.consecutiveGatewayErrors === undefined ? undefined : 100,
      splitExternalLocalOriginErrors: istio.splitExternalLocalOriginErrors,
      consecutiveLocalOriginFailure: istio.consecutiveLocalOriginFailures,
      interval: istio.interval,
      baseEjectionTime: istio.baseEjectionTime,
      maxEjectionPercent: istio.maxEjectionPercent,
    };
    panic = minHealthPercent ?? ENVOY_PANIC_THRESHOLD;
  }
  const config = resolveOutlierConfig({ ...base, ...withoutUndefined(envoyFields), maxEjectionTime, alwaysEjectOneHost, ejectionCapRule });
  return { config, panicThreshold: healthyPanicThreshold ?? panic };
}

/** One ejection of one pod by one sidecar cluster; `end` is Infinity while it lasts. */
export interface EjectionRecord {
  readonly from: string;
  readonly to: string;
  /** The sidecar cluster, e.g. `frontend/0>payments`. */
  readonly cluster: string;
  readonly pod: Pod;
  readonly kind: EjectionKind;
  readonly start: number;
  end: number;
}

export interface DetectorTotals {
  detected: number;
  enforced: number;
  overflow: number;
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** A detector's counts so far, over every kind of detection. */
export function detectorTotals(detector: OutlierDetector<Pod>): DetectorTotals {
  return { detected: sum(detector.detected), enforced: sum(detector.enforced), overflow: detector.ejectionsOverflow };
}

export interface ClusterRecord {
  readonly from: string;
  readonly to: string;
  /** The subset whose cluster this is (its pods are the only hosts), or undefined for the whole service. */
  readonly subset: string | undefined;
  readonly interval: number;
  readonly detector: OutlierDetector<Pod>;
  /** The detector's counts when the warm-up ended (zero if it was created later). */
  atWarmup: DetectorTotals;
}

/** A stretch of time in which a sidecar cluster's balancer was in panic (it ignored ejections); `end` Infinity while it lasts. */
export interface PanicRecord {
  readonly from: string;
  readonly to: string;
  readonly cluster: string;
  readonly start: number;
  end: number;
}

/** What every cluster's outlier detection did in a run, for results. */
export interface OutlierLog {
  readonly ejections: EjectionRecord[];
  readonly clusters: ClusterRecord[];
  readonly panics: PanicRecord[];
}

export class ClusterHealth {
  readonly detector: OutlierDetector<Pod>;
  private readonly panicThreshold: number;
  /** Bumped whenever a host's ejection state changes; workers rebuild their healthy set when it moves. */
  version = 0;
  private readonly sim: Simulation;
  private readonly open = new Map<Pod, EjectionRecord>();
  private readonly known: Set<Pod>;
  private readonly drainers: ((pod: Pod) => void)[] = [];
  private readonly log: OutlierLog;
  private readonly name: { from: string; to: string; cluster: string };
  private readonly split: boolean;
  private panic: PanicRecord | undefined;

  constructor(
    sim: Simulation,
    resolved: ResolvedOutlier,
    endpoints: Endpoints,
    rng: Stream,
    log: OutlierLog,
    name: { from: string; to: string; cluster: string },
    warmup: number,
  ) {
    this.sim = sim;
    this.log = log;
    this.name = name;
    this.panicThreshold = resolved.panicThreshold;
    this.split = resolved.config.splitExternalLocalOriginErrors;
    const interval = resolved.config.interval;
    this.known = new Set(endpoints.current);
    this.detector = new OutlierDetector<Pod>(resolved.config, this.known, rng);
    const record: ClusterRecord = {
      from: name.from,
      to: name.to,
      subset: endpoints.subsetName,
      interval,
      detector: this.detector,
      atWarmup: { detected: 0, enforced: 0, overflow: 0 },
    };
    log.clusters.push(record);
    if (sim.now < warmup) sim.at(warmup, () => (record.atWarmup = detectorTotals(this.detector)), undefined, true);
    endpoints.onChange((pods) => this.sync(pods));
    // Sweeps on the grid k·interval from the start of the run (every sidecar got its config at t = 0).
    let k = Math.floor(sim.now / interval) + 1;
    const tick = () => {
      k++;
      this.sim.at(k * interval, tick, undefined, true);
      this.sweep();
    };
    sim.at(k * interval, tick, undefined, true);
  }

  /** A worker's hook to drain its connections to a host when it is ejected. */
  onEject(drain: (pod: Pod) => void): void {
    this.drainers.push(drain);
  }

  /** Whether the balancer ignores ejections now: the healthy share is under the panic threshold (REFERENCE §1.6). */
  get inPanic(): boolean {
    return this.panic !== undefined;
  }

  isEjected(pod: Pod): boolean {
    return this.detector.isEjected(pod);
  }

  /** The router's report of one attempt's outcome from `pod` (REFERENCE §1.2, §1.8). */
  feed(pod: Pod, o: Outcome): void {
    const now = this.sim.now;
    const f = o.flag;
    if (f !== 'UF' && f !== 'UC' && f !== 'UR' && f !== 'PT' && f !== 'RS') {
      // A response (as `attemptResult` reads flags): the connection worked; a Trailers-Only grpc-status is fed mapped,
      // one in trailers is not (the :status 200 is).
      if (this.split) this.detector.putLocalOrigin(pod, 'localOriginConnectSuccess', now);
      this.ejected(this.detector.putResult(pod, o.inTrailers ? 200 : grpcToHttp(o.status), now));
      return;
    }
    const attempt = attemptResult(o);
    if (attempt.kind === 'response' || attempt.kind === 'overflow') return;
    const result = localOriginResult(attempt.kind);
    if (result !== undefined) this.ejected(this.detector.putLocalOrigin(pod, result, now));
  }

  /** A route timeout gave up the attempt in flight on `pod` (`onResponseTimeout`: LocalOriginTimeout). */
  timedOut(pod: Pod): void {
    this.ejected(this.detector.putLocalOrigin(pod, 'localOriginTimeout', this.sim.now));
  }

  private sweep(): void {
    const now = this.sim.now;
    const { unejected, ejected } = this.detector.onInterval(now);
    for (const pod of unejected) this.close(pod, now);
    for (const e of ejected) this.ejected(e);
    if (unejected.length > 0) this.changed();
  }

  /** Host health moved: workers rebuild their healthy set, and panic starts or ends (REFERENCE §1.6). */
  private changed(): void {
    this.version++;
    const total = this.known.size;
    const healthy = total - this.open.size;
    const panic = healthy < total && healthyPanic(healthy, total, this.panicThreshold);
    const now = this.sim.now;
    if (panic && !this.panic) this.log.panics.push((this.panic = { ...this.name, start: now, end: Number.POSITIVE_INFINITY }));
    else if (!panic && this.panic) {
      this.panic.end = now;
      this.panic = undefined;
    }
  }

  private ejected(e: Ejection<Pod> | undefined): void {
    if (e === undefined) return;
    const record: EjectionRecord = { ...this.name, pod: e.host, kind: e.kind, start: e.at, end: Number.POSITIVE_INFINITY };
    this.open.set(e.host, record);
    this.log.ejections.push(record);
    this.changed();
    for (const drain of this.drainers) drain(e.host);
  }

  private close(pod: Pod, now: number): void {
    const record = this.open.get(pod);
    if (record) record.end = now;
    this.open.delete(pod);
  }

  private sync(pods: readonly Pod[]): void {
    const now = this.sim.now;
    const live = new Set(pods);
    for (const pod of this.known)
      if (!live.has(pod)) {
        this.detector.removeHost(pod);
        this.close(pod, now);
        this.known.delete(pod);
      }
    for (const pod of pods)
      if (!this.known.has(pod)) {
        this.known.add(pod);
        this.detector.addHost(pod);
      }
    this.changed();
  }
}
