// A step function of time (busy workers, open connections) integrated twice: over the measured
// interval, for summaries, and over the whole run, for time series.
import type { Simulation } from '../../engine/index.ts';
import { type Measure, overlap } from '../measure.ts';

export class Meter {
  value = 0;
  private measured = 0;
  private total = 0;
  private since = 0;
  private readonly sim: Simulation;
  private readonly measure: Measure;

  constructor(sim: Simulation, measure: Measure) {
    this.sim = sim;
    this.measure = measure;
  }

  add(delta: number): void {
    const now = this.sim.now;
    this.measured += this.value * overlap(this.measure, this.since, now);
    this.total += this.value * (now - this.since);
    this.since = now;
    this.value += delta;
  }

  /** ∫ value dt over the measured interval, up to now. */
  measuredArea(): number {
    return this.measured + this.value * overlap(this.measure, this.since, this.sim.now);
  }

  /** ∫ value dt since the start, up to now. */
  totalArea(): number {
    return this.total + this.value * (this.sim.now - this.since);
  }
}
