// Workload identity policy: certificate validity and mTLS checks, Istio's and Linkerd's rotation schedules, the CA as a
// queueing station, and outage replay. Pure: time passed in, randomness from an `Rng`. REFERENCE §6, §7.
export * from './ca.ts';
export * from './certificate.ts';
export * from './istio-rotation.ts';
export * from './linkerd-rotation.ts';
export * from './renewal-schedule.ts';
