// A pod serving RPCs with a fixed number of workers and a bounded FIFO queue (an M/G/c/K station):
// a request that finds every worker busy waits; one that finds the queue full is refused at once
// with RESOURCE_EXHAUSTED, as a gRPC server with a bounded executor queue does.
import Denque from 'denque';
import { type Distribution, Reseedable, type Simulation } from '../../engine/index.ts';
import { type Measure, overlap } from '../measure.ts';
import type { Probe } from '../probe.ts';
import type { Done, Rpc } from '../rpc.ts';
import { OK, RESOURCE_EXHAUSTED } from '../status.ts';
import type { Connection } from '../transport/connection.ts';

interface Job {
  rpc: Rpc;
  done: Done;
  arrived: number;
}

export interface PodConfig {
  workers: number;
  queue: number;
  serviceTime: Distribution;
}

export class Pod {
  readonly service: string;
  readonly index: number;
  readonly workers: number;
  private readonly queueLimit: number;
  private readonly serviceTime: Distribution;
  private readonly sim: Simulation;
  private readonly probe: Probe;
  private readonly measure: Measure;
  private readonly demand = new Reseedable();
  private readonly queue = new Denque<Job>();
  private readonly finishJob: (job: Job) => void;

  /** Workers busy now. */
  busy = 0;
  /** Counted requests that reached this pod (served or refused). */
  requests = 0;
  /** Every request that reached this pod, counted or not (for time series). */
  arrivals = 0;
  /** Busy worker-seconds since the start, up to `lastChange` (for time series). */
  private busyAll = 0;
  /** Counted requests refused because the queue was full. */
  refused = 0;
  /** Busy worker-seconds inside the measured interval, up to `lastChange`. */
  private busyArea = 0;
  private lastChange = 0;
  /** False once scaled away: it finishes its work but gets no new connections. */
  live = true;
  /** Open connections into this pod, and their count integrated over the measured interval. */
  readonly connections = new Set<Connection>();
  private connectionArea = 0;
  private connectionsChanged = 0;

  constructor(sim: Simulation, service: string, index: number, config: PodConfig, measure: Measure, probe: Probe) {
    this.sim = sim;
    this.service = service;
    this.index = index;
    this.workers = config.workers;
    this.queueLimit = config.queue;
    this.serviceTime = config.serviceTime;
    this.measure = measure;
    this.probe = probe;
    this.finishJob = (job) => this.finish(job);
  }

  get name(): string {
    return `${this.service}/${this.index}`;
  }

  /** Requests waiting for a worker. */
  get queued(): number {
    return this.queue.length;
  }

  /** The pod's handler: serve `rpc` and call `done` with its outcome. */
  handle(rpc: Rpc, done: Done): void {
    this.arrivals++;
    if (rpc.counted) this.requests++;
    const job: Job = { rpc, done, arrived: this.sim.now };
    if (this.busy < this.workers) this.begin(job);
    else if (this.queue.length < this.queueLimit) this.queue.push(job);
    else {
      if (rpc.counted) this.refused++;
      done(RESOURCE_EXHAUSTED);
    }
  }

  /** Busy worker-seconds inside the measured interval so far. */
  busySeconds(): number {
    return this.busyArea + this.busy * overlap(this.measure, this.lastChange, this.sim.now);
  }

  /** Busy worker-seconds since the start of the run. */
  busySecondsTotal(): number {
    return this.busyAll + this.busy * (this.sim.now - this.lastChange);
  }

  /** Busy time over worker time in the measured interval. */
  utilization(): number {
    return this.busySeconds() / (this.workers * (this.measure.to - this.measure.from));
  }

  /** Mean number of open connections over the measured interval (so far). */
  meanConnections(): number {
    const area = this.connectionArea + this.connections.size * overlap(this.measure, this.connectionsChanged, this.sim.now);
    return area / (this.measure.to - this.measure.from);
  }

  connectionOpened(conn: Connection): void {
    this.countConnections();
    this.connections.add(conn);
  }

  connectionClosed(conn: Connection): void {
    this.countConnections();
    this.connections.delete(conn);
  }

  /** Scaled away: every connection gets a GOAWAY; in-flight work finishes. */
  remove(): void {
    this.live = false;
    for (const c of [...this.connections]) c.goAway();
  }

  private countConnections(): void {
    const now = this.sim.now;
    this.connectionArea += this.connections.size * overlap(this.measure, this.connectionsChanged, now);
    this.connectionsChanged = now;
  }

  private setBusy(delta: number): void {
    const now = this.sim.now;
    this.busyArea += this.busy * overlap(this.measure, this.lastChange, now);
    this.busyAll += this.busy * (now - this.lastChange);
    this.lastChange = now;
    this.busy += delta;
  }

  private begin(job: Job): void {
    this.setBusy(1);
    this.probe.queueWait(this, job.rpc, this.sim.now - job.arrived);
    const work = this.serviceTime.sample(this.demand.reset(job.rpc.demand));
    this.sim.schedule(work, this.finishJob, job);
  }

  private finish(job: Job): void {
    this.setBusy(-1);
    const next = this.queue.shift();
    if (next) this.begin(next);
    job.done(OK);
  }
}
