// The classic hold model: a fixed number of pending timers, each replaced by a new one with an
// exponential delay when it fires. Measures the kernel alone: events per second.
import { exponential, RandomStreams, Simulation } from '../../engine/index.ts';

export function holdModel(pending: number, events: number): { eventsPerSecond: number; seconds: number } {
  const sim = new Simulation();
  const rng = new RandomStreams(1).stream('bench/hold');
  const delay = exponential(1);
  let left = events;
  const hold = () => {
    if (--left > 0) sim.schedule(delay.sample(rng), hold);
  };
  for (let i = 0; i < pending; i++) sim.schedule(delay.sample(rng), hold);
  const t0 = process.hrtime.bigint();
  sim.run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { eventsPerSecond: sim.events / seconds, seconds };
}
