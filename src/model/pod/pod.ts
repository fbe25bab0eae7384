// A pod serving RPCs with a fixed number of workers and a bounded FIFO queue (an M/G/c/K station):
// a request that finds every worker busy waits; one that finds the queue full is refused at once
// with RESOURCE_EXHAUSTED, as a gRPC server with a bounded executor queue does. After its own work
// a worker runs the handler's downstream calls (handler.ts). Options: skip queued work whose
// deadline passed (`dropExpired`), drop work whose caller reset the stream (`honorsCancellation`).
// Its life (probes, readiness, start-up, gates) is in health.ts.
import Denque from 'denque';
import { type Distribution, Reseedable, type Simulation, type Stream, type Timer } from '../../engine/index.ts';
import type { Measure } from '../measure.ts';
import type { Probe } from '../probe.ts';
import type { Done, Req } from '../rpc.ts';
import { DEADLINE_EXCEEDED, OK, type Outcome, outcome, RESOURCE_EXHAUSTED, Status } from '../status.ts';
import type { Connection } from '../transport/connection.ts';
import { FaultState } from './faults.ts';
import { type HandlerContext, runHandler, type Steps } from './handler.ts';
import { type HealthConfig, PodHealth } from './health.ts';
import { Meter } from './meter.ts';

interface Job {
  req: Req;
  done: Done;
  arrived: number;
  /** Set once the job is over (answered, dropped or cancelled). */
  over: boolean;
  timer: Timer | undefined;
  stopHandler: (() => void) | undefined;
  running: boolean;
}

export interface PodConfig {
  workers: number;
  queue: number;
  serviceTime: Distribution;
  dropExpired: boolean;
  honorsCancellation: boolean;
  steps: Steps;
  handler: HandlerContext;
  /** The subset (Deployment) the pod belongs to, if its service has subsets. */
  subset?: string;
  health: HealthConfig;
}

/** How a pod begins: `settled` pods ran long before the run (ready at once); `phases` draws their probes' phases. */
export interface PodStart {
  settled: boolean;
  phases: Stream;
}

export class Pod {
  readonly service: string;
  readonly index: number;
  readonly workers: number;
  readonly subset: string | undefined;
  private readonly config: PodConfig;
  private readonly sim: Simulation;
  private readonly probe: Probe;
  private readonly measure: Measure;
  private readonly demand = new Reseedable();
  private readonly queue = new Denque<Job>();
  private readonly faultRng: Stream;
  /** Queued jobs whose caller cancelled (still in the deque, skipped when reached). */
  private cancelledQueued = 0;
  readonly faults = new FaultState();
  readonly busy: Meter;
  readonly open: Meter;

  /** Counted requests that reached this pod (served or refused). */
  requests = 0;
  /** Every request that reached this pod, counted or not (for time series). */
  arrivals = 0;
  /** Counted requests this pod answered with OK. */
  ok = 0;
  /** Counted requests refused because the queue was full. */
  refused = 0;
  /** False once scaled away: it finishes its work but refuses new connections. */
  live = true;
  readonly connections = new Set<Connection>();
  readonly health: PodHealth;

  constructor(sim: Simulation, service: string, index: number, config: PodConfig, measure: Measure, probe: Probe, faultRng: Stream, start: PodStart) {
    this.sim = sim;
    this.service = service;
    this.index = index;
    this.workers = config.workers;
    this.subset = config.subset;
    this.config = config;
    this.measure = measure;
    this.probe = probe;
    this.faultRng = faultRng;
    this.busy = new Meter(sim, measure);
    this.open = new Meter(sim, measure);
    const host = { hung: () => this.faults.hang, restartContainer: () => this.restartContainer() };
    this.health = new PodHealth(sim, measure, config.health, host, start.phases, start.settled);
  }

  /** False while the container is down or the app is starting, and once scaled away: connections are refused. */
  get accepting(): boolean {
    return this.health.accepting;
  }

  /** Ready: its readiness probe passes (or it has none and runs) and every gate is open. */
  get ready(): boolean {
    return this.health.ready;
  }

  /** Opens or closes a readiness gate; a pod with a closed gate is not ready. */
  setGate(name: string, open: boolean): void {
    this.health.setGate(name, open);
  }

  onReadyChange(listener: (ready: boolean) => void): void {
    this.health.onReadyChange(listener);
  }

  /** Called whenever a new container starts after a crash or restart. */
  onStart(listener: () => void): void {
    this.health.onStart(listener);
  }

  get name(): string {
    return `${this.service}/${this.index}`;
  }

  /** Requests waiting for a worker. */
  get queued(): number {
    return this.queue.length - this.cancelledQueued;
  }

  /** The pod's handler: serve `req` and call `done` with its outcome. */
  handle(req: Req, done: Done): void {
    this.arrivals++;
    if (req.rpc.counted) this.requests++;
    const job: Job = { req, done, arrived: this.sim.now, over: false, timer: undefined, stopHandler: undefined, running: false };
    if (this.busy.value < this.workers) this.begin(job);
    else if (this.queued < this.config.queue) this.queue.push(job);
    else {
      if (req.rpc.counted) this.refused++;
      return done(RESOURCE_EXHAUSTED);
    }
    if (this.config.honorsCancellation && !job.over) req.onCancel = () => this.cancel(job);
  }

  /** Busy time over worker time in the measured interval. */
  utilization(): number {
    return this.busy.measuredArea() / (this.workers * (this.measure.to - this.measure.from));
  }

  /** Mean number of open connections over the measured interval (so far). */
  meanConnections(): number {
    return this.open.measuredArea() / (this.measure.to - this.measure.from);
  }

  connectionOpened(conn: Connection): void {
    this.open.add(1);
    this.connections.add(conn);
  }

  connectionClosed(conn: Connection): void {
    this.open.add(-1);
    this.connections.delete(conn);
  }

  /**
   * Scaled away: the app stops listening (new connections are refused) and every connection gets a
   * GOAWAY; in-flight work finishes (a gRPC server's GracefulStop on SIGTERM, no preStop hook).
   */
  remove(): void {
    this.live = false;
    this.health.removedFromService();
    for (const c of [...this.connections]) c.goAway();
  }

  /** Crashes: in-flight work is lost, connections close (their streams reset), new ones are refused until `restart`. */
  crash(): void {
    this.health.crashed();
    for (const job of this.queue.toArray()) this.drop(job);
    this.queue.clear();
    this.cancelledQueued = 0;
    for (const c of [...this.connections]) c.close();
  }

  /** A new container starts: the app accepts connections after its start-up time. */
  restart(): void {
    this.health.containerStarted();
  }

  /** The kubelet kills the container and starts a new one at once (a failed liveness probe, a restart fault). */
  restartContainer(): void {
    this.crash();
    this.restart();
  }

  private drop(job: Job): void {
    job.over = true;
    job.timer?.cancel();
    job.stopHandler?.();
    if (job.running) this.busy.add(-1);
  }

  private cancel(job: Job): void {
    if (job.over) return;
    if (job.running) {
      this.drop(job);
      this.next();
    } else {
      job.over = true;
      this.cancelledQueued++;
    }
  }

  private begin(job: Job): void {
    job.running = true;
    this.busy.add(1);
    this.probe.queueWait(this, job.req.rpc, this.sim.now - job.arrived);
    if (this.config.dropExpired && this.sim.now >= job.req.deadline) return this.answer(job, DEADLINE_EXCEEDED);
    const f = this.faults;
    if (f.hang) return;
    const work = this.config.serviceTime.sample(this.demand.reset(job.req.rpc.demand)) * f.slowdown + f.latency;
    job.timer = this.sim.schedule(work, this.afterWork, job);
  }

  private readonly afterWork = (job: Job): void => {
    job.timer = undefined;
    const e = this.faults.errors;
    if (e && this.faultRng.next() < e.rate) return this.answer(job, outcome(e.status, '', e.inTrailers, e.pushbackMs));
    if (this.config.steps.length === 0) return this.answer(job, OK);
    job.stopHandler = runHandler(this.config.handler, this.config.steps, job.req, (result) => this.answer(job, result));
  };

  private answer(job: Job, result: Outcome): void {
    if (job.over) return;
    job.over = true;
    job.req.onCancel = null;
    this.busy.add(-1);
    if (result.status === Status.OK && job.req.rpc.counted) this.ok++;
    this.next();
    job.done(result);
  }

  /** Starts the next live queued job, if a worker is free. */
  private next(): void {
    while (this.busy.value < this.workers && this.queue.length > 0) {
      const job = this.queue.shift() as Job;
      if (job.over) {
        this.cancelledQueued--;
        continue;
      }
      this.begin(job);
    }
  }
}
