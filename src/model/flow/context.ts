// What every flow-level client shares: the clock, the identity plane, where counts go, and the measured interval.
import type { Simulation } from '../../engine/index.ts';
import type { IdentityPlane } from '../identity/plane.ts';
import type { Measure } from '../measure.ts';
import type { MeshStats } from '../world.ts';
import type { FlowLog } from './log.ts';

export class FlowContext {
  readonly sim: Simulation;
  readonly identity: IdentityPlane | undefined;
  readonly log: FlowLog;
  private readonly measure: Measure;
  private readonly stats: MeshStats;

  constructor(sim: Simulation, identity: IdentityPlane | undefined, log: FlowLog, measure: Measure, stats: MeshStats) {
    this.sim = sim;
    this.identity = identity;
    this.log = log;
    this.measure = measure;
    this.stats = stats;
  }

  /** Seconds of [from, to) inside the measured interval. */
  counted(from: number, to: number): number {
    return Math.max(0, Math.min(to, this.measure.to) - Math.max(from, this.measure.from));
  }

  connectionOpened(): void {
    const now = this.sim.now;
    if (now >= this.measure.from && now < this.measure.to) this.stats.connectionsOpened++;
  }
}
