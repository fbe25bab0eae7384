// Envoy outlier detection (passive health) as pure policy: config and Istio mapping, what an attempt feeds the
// detector, the detector's state machine on virtual time, and the panic threshold. REFERENCE §1, §2.2.
export * from './config.ts';
export * from './detector.ts';
export * from './ejection-rules.ts';
export * from './grpc-mapping.ts';
export * from './host-monitor.ts';
export * from './panic.ts';
export * from './success-rate.ts';
