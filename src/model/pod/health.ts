// A pod's life as Kubernetes sees it: its container runs or not, the app inside starts up for a
// while after each (re)start, probes judge it (probe-worker.ts), and readiness gates may hold it back.
// Ready = the kubelet sees the container running, the readiness probe passes (or there is none) and
// every gate is open (kubelet prober_manager.go UpdatePodStatus; Pod readinessGates). A container
// that exits is seen by the kubelet at its next PLEG relist (every second), not by probes.
import type { Simulation, Stream } from '../../engine/index.ts';
import type { ProbeSpec } from '../../scenario/schema.ts';
import type { Measure } from '../measure.ts';
import { Meter } from './meter.ts';
import { type ProbeAnswer, ProbeWorker } from './probe-worker.ts';

/** The kubelet's pod lifecycle event generator relists containers every second (pleg/generic.go). */
export const PLEG_RELIST_PERIOD = 1;

export interface HealthConfig {
  readinessProbe: ProbeSpec | undefined;
  livenessProbe: ProbeSpec | undefined;
  /** Seconds after a (re)start before the app accepts connections and answers probes. */
  startupTime: number;
}

/** What health needs of its pod. */
export interface HealthHost {
  /** A hung app: accepts, never answers (probes time out). */
  hung(): boolean;
  /** The liveness probe failed: the kubelet kills the container and starts a new one. */
  restartContainer(): void;
}

export class PodHealth {
  /** The container runs (false between a crash and its restart). */
  running = true;
  /** The app is still starting: refuses connections, fails probes. */
  starting = false;
  /** Scaled away: refuses new connections, never ready again. */
  removed = false;
  /** Seconds the pod was ready, integrated like busy time. */
  readonly readyTime: Meter;
  readonly readiness: ProbeWorker | undefined;
  readonly liveness: ProbeWorker | undefined;
  private readonly sim: Simulation;
  private readonly config: HealthConfig;
  private readonly host: HealthHost;
  /** The kubelet's view of the container (lags a crash by up to one relist). */
  private seenRunning = true;
  private started: number;
  /** Bumped at every crash and start, so stale timers do nothing. */
  private generation = 0;
  private readonly closedGates = new Set<string>();
  private isReady = false;
  private readonly readyListeners: ((ready: boolean) => void)[] = [];
  private readonly startListeners: (() => void)[] = [];

  /**
   * `settled`: the pod was running long before the run began (ready at once, probes at a random phase);
   * otherwise its container starts now.
   */
  constructor(sim: Simulation, measure: Measure, config: HealthConfig, host: HealthHost, phases: Stream, settled: boolean) {
    this.sim = sim;
    this.config = config;
    this.host = host;
    this.readyTime = new Meter(sim, measure);
    this.started = settled ? Number.NEGATIVE_INFINITY : sim.now;
    const target = { containerStarted: () => (this.running ? this.started : undefined), answer: () => this.answer() };
    const worker = (spec: ProbeSpec | undefined, initial: boolean, onVerdict: (passing: boolean) => void) => {
      if (!spec) return undefined;
      const phase = settled ? phases.next() * spec.periodSeconds : sim.now;
      const w = new ProbeWorker(sim, spec, target, initial, phase, onVerdict);
      if (settled) w.settled();
      return w;
    };
    this.readiness = worker(config.readinessProbe, false, () => this.update());
    this.liveness = worker(config.livenessProbe, true, (passing) => {
      if (passing) return;
      this.liveness?.resetRun();
      host.restartContainer();
    });
    if (!settled) this.startApp();
    this.update();
  }

  get ready(): boolean {
    return this.isReady;
  }

  /** The app accepts connections. */
  get accepting(): boolean {
    return this.running && !this.starting && !this.removed;
  }

  setGate(name: string, open: boolean): void {
    if (open) this.closedGates.delete(name);
    else this.closedGates.add(name);
    this.update();
  }

  onReadyChange(listener: (ready: boolean) => void): void {
    this.readyListeners.push(listener);
  }

  onStart(listener: () => void): void {
    this.startListeners.push(listener);
  }

  /** The container stopped; the kubelet notices at its next relist, if it has not restarted by then. */
  crashed(): void {
    this.running = false;
    this.starting = false;
    const generation = ++this.generation;
    const relist = (Math.floor(this.sim.now / PLEG_RELIST_PERIOD + 1e-9) + 1) * PLEG_RELIST_PERIOD;
    this.sim.at(relist, () => {
      if (generation !== this.generation) return;
      this.seenRunning = false;
      this.update();
    });
    this.update();
  }

  /** A new container starts (the kubelet started it, so it knows at once). */
  containerStarted(): void {
    this.running = true;
    this.seenRunning = true;
    this.started = this.sim.now;
    this.startApp();
    this.readiness?.containerStarted();
    this.liveness?.containerStarted();
    for (const l of this.startListeners) l();
    this.update();
  }

  removedFromService(): void {
    this.removed = true;
    this.readiness?.stop();
    this.liveness?.stop();
    this.update();
  }

  private startApp(): void {
    const generation = ++this.generation;
    if (this.config.startupTime <= 0) return;
    this.starting = true;
    this.sim.schedule(this.config.startupTime, () => {
      if (generation === this.generation) this.starting = false;
    });
  }

  private answer(): ProbeAnswer {
    if (!this.accepting) return 'refused';
    return this.host.hung() ? 'silent' : 'pass';
  }

  private update(): void {
    const ready = !this.removed && this.seenRunning && (this.readiness?.passing ?? true) && this.closedGates.size === 0;
    if (ready === this.isReady) return;
    this.isReady = ready;
    this.readyTime.add(ready ? 1 : -1);
    for (const l of this.readyListeners) l(ready);
  }
}
