// A scenario's identity settings resolved once for the mesh profile (REFERENCE §6): Envoy sidecars and ztunnels run
// Istio's agent schedule against istiod's CA (self-signed root, 10 years); Linkerd proxies run their certify loop
// against the identity controller (trust anchor and issuer, 1 year each, 20 s clock-skew allowance).
import type { Distribution } from '../../engine/index.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { toDistribution } from '../distribution.ts';
import { type IstioRotationConfig, istioRotationConfig } from './istio-rotation.ts';
import { type LinkerdIdentityConfig, linkerdIdentityConfig } from './linkerd-rotation.ts';

const DAY = 24 * 3600;

export interface IdentityConfig {
  readonly profile: 'istio' | 'linkerd';
  readonly istio: IstioRotationConfig;
  readonly linkerd: LinkerdIdentityConfig;
  /** Workload certificate lifetime, seconds. */
  readonly lifetime: number;
  /** Validation slack on both ends of a certificate's window (Linkerd clockSkewAllowance; 0 for Istio). */
  readonly skewAllowance: number;
  /** notBefore is backdated by this much (Linkerd: the allowance; Istio: 0). */
  readonly backdate: number;
  /** Each node's clock offset is uniform in ±maxSkew. */
  readonly maxSkew: number;
  /** Retry period of a workload that has no certificate yet (Linkerd min_refresh; assumed the same for Istio). */
  readonly firstRetry: number;
  readonly signingTime: number | Distribution;
  readonly capacity: number;
  /** Expiry of the trust root and of the intermediate issuer (absent: none), seconds from the start. */
  readonly rootExpiresIn: number;
  readonly issuerExpiresIn: number | undefined;
  readonly initial: 'staggered' | 'fresh';
  readonly handshakeLatency: number;
  readonly handshakeCpu: number;
}

/** Whether connections between meshed workloads run mTLS in this scenario. */
export const mtlsActive = (scenario: Scenario): boolean => scenario.mesh.dataPlane !== 'none' && scenario.identity.mtls;

export function identityConfig(scenario: Scenario): IdentityConfig {
  const spec = scenario.identity;
  const profile = scenario.mesh.proxy === 'linkerd' ? 'linkerd' : 'istio';
  const istio = istioRotationConfig({ ...spec.istio, secretTtl: spec.certTtl });
  const linkerd = linkerdIdentityConfig({ ...spec.linkerd, issuanceLifetime: spec.certTtl });
  const signing = spec.ca.signingTime;
  return {
    profile,
    istio,
    linkerd,
    lifetime: spec.certTtl,
    skewAllowance: profile === 'linkerd' ? linkerd.clockSkewAllowance : 0,
    backdate: profile === 'linkerd' ? linkerd.clockSkewAllowance : 0,
    maxSkew: spec.clockSkew,
    firstRetry: linkerd.minRefresh,
    signingTime: typeof signing === 'number' ? signing : toDistribution(signing),
    capacity: spec.ca.capacity,
    rootExpiresIn: spec.root.expiresIn ?? (profile === 'linkerd' ? 365 * DAY : 3650 * DAY),
    issuerExpiresIn: spec.issuer?.expiresIn ?? (profile === 'linkerd' ? 365 * DAY : undefined),
    initial: spec.initialCertificates,
    handshakeLatency: spec.handshake.latency,
    handshakeCpu: spec.handshake.cpu,
  };
}

/** How long a certificate is held before its first renewal attempt (without jitter): the steady-state renewal period. */
export function renewalPeriod(config: IdentityConfig): number {
  if (config.profile === 'linkerd') {
    const l = config.linkerd;
    return Math.min(Math.max(l.refreshRatio * config.lifetime, l.minRefresh), l.maxRefresh);
  }
  return config.lifetime * (1 - config.istio.gracePeriodRatio);
}
