// The kubelet's prober worker for one probe of one pod (kubernetes pkg/kubelet/prober/worker.go):
// a ticker every periodSeconds for the pod's whole life (the grid survives container restarts), no
// probe while the container is younger than initialDelaySeconds (whole seconds, truncated), and the
// result flips only after failureThreshold failures or successThreshold successes in a row. A new
// container starts from the probe's initial value (readiness: failure, liveness: success) but keeps
// the run of results, as the kubelet does. A tick that comes while a probe is still waiting for its
// answer is kept (Go's ticker buffers one) and runs as soon as that probe ends.
import type { Simulation, Timer } from '../../engine/index.ts';
import type { ProbeSpec } from '../../scenario/schema.ts';

/** How the pod answers a probe now: at once (pass or refused), or never (fails after timeoutSeconds). */
export type ProbeAnswer = 'pass' | 'refused' | 'silent';

export interface ProbeTarget {
  /** Time the current container started, or undefined while none runs. */
  containerStarted(): number | undefined;
  answer(): ProbeAnswer;
}

export class ProbeWorker {
  /** The probe's current verdict (what the kubelet reports). */
  passing: boolean;
  /** First tick of the grid; ticks at phase + k × period. */
  readonly phase: number;
  private readonly sim: Simulation;
  private readonly spec: ProbeSpec;
  private readonly target: ProbeTarget;
  private readonly initial: boolean;
  private readonly onVerdict: (passing: boolean) => void;
  private last: boolean | undefined;
  private run = 0;
  private inFlight = false;
  private tickWaiting = false;
  private ticker: Timer | undefined;
  private ticks = 0;
  private timeout: Timer | undefined;

  constructor(sim: Simulation, spec: ProbeSpec, target: ProbeTarget, initial: boolean, phase: number, onVerdict: (passing: boolean) => void) {
    this.sim = sim;
    this.spec = spec;
    this.target = target;
    this.initial = initial;
    this.passing = initial;
    this.phase = phase;
    this.onVerdict = onVerdict;
    this.ticker = sim.at(phase, this.tick, undefined, true);
  }

  /** A pod already in steady state when the run starts: its probe has been passing for a while. */
  settled(): void {
    this.passing = true;
    this.last = true;
    this.run = Math.max(this.spec.successThreshold, 1);
  }

  /** A new container: the verdict restarts from the initial value; the run of results is kept. */
  containerStarted(): void {
    this.set(this.initial);
  }

  /** Liveness: the verdict failed and the container is being restarted; the run starts over. */
  resetRun(): void {
    this.run = 0;
  }

  /** The pod is gone: no more probes. */
  stop(): void {
    this.ticker?.cancel();
    this.timeout?.cancel();
    this.ticker = undefined;
    this.timeout = undefined;
  }

  private readonly tick = (): void => {
    // Probes are daemon events: they never keep a run alive on their own.
    this.ticker = this.sim.at(this.phase + ++this.ticks * this.spec.periodSeconds, this.tick, undefined, true);
    if (this.inFlight) this.tickWaiting = true;
    else this.probe();
  };

  private probe(): void {
    const started = this.target.containerStarted();
    if (started === undefined) return;
    if (Math.floor(this.sim.now - started + 1e-9) < this.spec.initialDelaySeconds) return;
    const answer = this.target.answer();
    if (answer !== 'silent') return this.result(answer === 'pass');
    this.inFlight = true;
    const timer = this.sim.schedule(
      this.spec.timeoutSeconds,
      () => {
        this.inFlight = false;
        // A probe of a container that has since been replaced says nothing about the new one.
        if (this.target.containerStarted() === started) this.result(false);
        if (this.tickWaiting) {
          this.tickWaiting = false;
          this.probe();
        }
      },
      undefined,
      true,
    );
    this.timeout = timer;
  }

  private result(pass: boolean): void {
    if (this.last === pass) this.run++;
    else {
      this.last = pass;
      this.run = 1;
    }
    if (this.run < (pass ? this.spec.successThreshold : this.spec.failureThreshold)) return;
    this.set(pass);
  }

  private set(passing: boolean): void {
    const changed = this.passing !== passing;
    this.passing = passing;
    // The kubelet reports every verdict; listeners act on a failed liveness verdict each time.
    if (changed || !passing) this.onVerdict(passing);
  }
}
