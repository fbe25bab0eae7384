// An earliest-deadline-first schedule: Envoy's weighted round robin for real-valued weights
// (source/common/upstream/edf_scheduler.h). An entry picked at time t is due again at t + 1/weight; the earliest
// deadline goes next and equal deadlines go first-queued-first. A weight is read when its entry is queued again.
import type { Endpoint } from './types.ts';

/** Relative difference below which two deadlines are taken as equal. */
const TIE = 1e-9;
/** Most picks spent moving a fresh schedule to its starting phase. */
const MAX_START_PICKS = 10_000;

export class EdfSchedule<E extends Endpoint> {
  private ids: number[] = [];
  private deadline = new Float64Array(0);
  /** Queue order of each entry: the tie-break between equal deadlines (Envoy `order_offset_`). */
  private queuedAt = new Float64Array(0);
  /** Binary min-heap of entry indices ordered by (deadline, queuedAt). */
  private heap = new Int32Array(0);
  private now = 0;
  private queued = 0;

  /** Forgets every entry, so the next `reset` starts a fresh schedule. */
  clear(): void {
    this.ids = [];
    this.now = 0;
  }

  /**
   * Schedules `endpoints` (index i of the schedule is `endpoints[i]`). An endpoint already scheduled (same id) keeps
   * its deadline and queue place; a newcomer is due at now + 1/weight. Returns how many were kept.
   */
  reset(endpoints: readonly E[], weightOf: (e: E) => number): number {
    const previous = new Map(this.ids.map((id, i) => [id, i]));
    const n = endpoints.length;
    const deadline = new Float64Array(n);
    const queuedAt = new Float64Array(n);
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const e = endpoints[i]!;
      const old = previous.get(e.id);
      if (old === undefined) {
        deadline[i] = this.now + 1 / weightOf(e);
        queuedAt[i] = this.queued++;
      } else {
        deadline[i] = this.deadline[old]!;
        queuedAt[i] = this.queuedAt[old]!;
        kept++;
      }
    }
    this.ids = endpoints.map((e) => e.id);
    this.deadline = deadline;
    this.queuedAt = queuedAt;
    this.heap = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i);
    return kept;
  }

  /**
   * Moves a fresh schedule `phase` ∈ [0, 1) of the way through one round (Σw / min w picks, at most 10,000), as
   * Envoy's `createWithPicks` does with each load balancer's random seed, so that clients do not move in lockstep.
   */
  advance(phase: number, endpoints: readonly E[], weightOf: (e: E) => number): void {
    let total = 0;
    let least = Number.POSITIVE_INFINITY;
    for (const e of endpoints) {
      const w = weightOf(e);
      total += w;
      least = Math.min(least, w);
    }
    const picks = Math.floor(phase * Math.min(Math.ceil(total / least), MAX_START_PICKS));
    for (let k = 0; k < picks; k++) this.next(endpoints, weightOf);
  }

  /** The index of the entry due next; it is queued again at its deadline + 1/weight. */
  next(endpoints: readonly E[], weightOf: (e: E) => number): number {
    const i = this.heap[0]!;
    const due = this.deadline[i]!;
    this.now = due;
    this.deadline[i] = due + 1 / weightOf(endpoints[i]!);
    this.queuedAt[i] = this.queued++;
    this.siftDown(0);
    return i;
  }

  /**
   * Whether entry a goes before entry b. Deadlines within rounding of each other (1e-9 relative) count as equal,
   * so that sums of 1/weight that are equal on paper (three thirds and one whole) tie as they should.
   */
  private before(a: number, b: number): boolean {
    const da = this.deadline[a]!;
    const db = this.deadline[b]!;
    if (Math.abs(da - db) > TIE * Math.max(1, Math.abs(da))) return da < db;
    return this.queuedAt[a]! < this.queuedAt[b]!;
  }

  private siftDown(from: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[from]!;
    let at = from;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= n) break;
      if (child + 1 < n && this.before(heap[child + 1]!, heap[child]!)) child++;
      if (!this.before(heap[child]!, item)) break;
      heap[at] = heap[child]!;
      at = child;
    }
    heap[at] = item;
  }
}
