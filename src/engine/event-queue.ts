// A binary min-heap of timers keyed by (time, seq). Dead (cancelled) timers stay in the heap until they
// surface or until they outnumber the live ones, when the heap is rebuilt without them.
import type { Timer, TimerOwner } from './timer.ts';

const before = (a: Timer, b: Timer): boolean => a.time < b.time || (a.time === b.time && a.seq < b.seq);

export class EventQueue implements TimerOwner {
  private heap: Timer[] = [];
  /** Live timers that keep a run going (non-daemon). */
  live = 0;
  private dead = 0;

  get size(): number {
    return this.heap.length;
  }

  push(timer: Timer): void {
    if (!timer.daemon) this.live++;
    const heap = this.heap;
    let i = heap.length;
    heap.push(timer);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Timer;
      if (!before(timer, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = timer;
  }

  peek(): Timer | undefined {
    return this.heap[0];
  }

  pop(): Timer | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined) return undefined;
    if (heap.length > 0) this.siftDown(last, 0);
    if (top.action === null) this.dead--;
    return top;
  }

  fired(daemon: boolean): void {
    if (!daemon) this.live--;
  }

  /** Counts a cancellation; rebuilds the heap when dead timers are over half of it. */
  cancelled(daemon: boolean): void {
    if (!daemon) this.live--;
    this.dead++;
    if (this.dead > 1024 && this.dead * 2 > this.heap.length) this.compact();
  }

  private siftDown(timer: Timer, from: number): void {
    const heap = this.heap;
    const n = heap.length;
    let i = from;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && before(heap[right] as Timer, heap[child] as Timer)) child = right;
      const c = heap[child] as Timer;
      if (!before(c, timer)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = timer;
  }

  private compact(): void {
    const liveTimers = this.heap.filter((t) => t.action !== null);
    this.heap = liveTimers;
    this.dead = 0;
    for (let i = (liveTimers.length >> 1) - 1; i >= 0; i--) this.siftDown(liveTimers[i] as Timer, i);
  }
}
