// What is wrong with a pod right now: the faults of the scenario's `faults:` that target it and are
// active. Several may overlap; the pod reads the combined effect.
import type { Status } from '../status.ts';

export interface PodFault {
  /** Fraction of requests that fail, with this status, its grpc-status in headers or in trailers. */
  errors?: { rate: number; status: Status; inTrailers: boolean; pushbackMs?: number };
  /** Service time multiplier. */
  slowdown?: number;
  /** Seconds added to every request's service time. */
  latency?: number;
  /** Accepts connections and requests but never answers. */
  hang?: boolean;
}

export class FaultState {
  private readonly active: PodFault[] = [];
  slowdown = 1;
  latency = 0;
  hang = false;
  errors: PodFault['errors'] = undefined;

  apply(fault: PodFault): void {
    this.active.push(fault);
    this.recompute();
  }

  lift(fault: PodFault): void {
    const i = this.active.indexOf(fault);
    if (i >= 0) this.active.splice(i, 1);
    this.recompute();
  }

  get any(): boolean {
    return this.active.length > 0;
  }

  private recompute(): void {
    this.slowdown = 1;
    this.latency = 0;
    this.hang = false;
    this.errors = undefined;
    for (const f of this.active) {
      if (f.slowdown) this.slowdown *= f.slowdown;
      if (f.latency) this.latency += f.latency;
      if (f.hang) this.hang = true;
      if (f.errors) this.errors = f.errors;
    }
  }
}
