// The engine's public surface: virtual time, events, timers, random streams and distributions.
export * from './distributions.ts';
export * from './random.ts';
export * from './simulation.ts';
export { Timer } from './timer.ts';
