// One workload's identity agent on the clock (Istio's istio-agent, Linkerd's proxy identity client): the certificate
// it holds, the node clock it validates on, and when it asks the CA next — after a certificate arrives, after a failed
// CSR, or before its first certificate (REFERENCE §6.1, §6.2; the schedules are in istio-rotation.ts and
// linkerd-rotation.ts).
import type { Rng, Timer } from '../../engine/index.ts';
import type { Certificate, CertificateChain } from './certificate.ts';
import type { IdentityConfig } from './config.ts';
import { istioRenewalTime, istioRetryTime } from './istio-rotation.ts';
import { linkerdNextRefresh } from './linkerd-rotation.ts';

export class Agent {
  readonly name: string;
  /** The node's clock offset, seconds. */
  readonly skew: number;
  /** Istio's rotation-check grid phase: when the agent started. */
  phase: number;
  chain: CertificateChain | undefined;
  expired = false;
  /** A CSR is at the CA. */
  inFlight = false;
  next: Timer | undefined;
  expiry: Timer | undefined;
  private readonly rng: Rng;

  constructor(name: string, skew: number, phase: number, rng: Rng) {
    this.name = name;
    this.skew = skew;
    this.phase = phase;
    this.rng = rng;
  }

  /** When it renews `cert`, which it just installed at `now`. One jitter draw per certificate (Istio). */
  renewAt(cert: Certificate, config: IdentityConfig): number {
    // Linkerd counts from when the certificate arrived (notBefore is backdated by the allowance).
    if (config.profile === 'linkerd') return linkerdNextRefresh(cert.notBefore + config.backdate, cert.notAfter, config.linkerd);
    return istioRenewalTime(cert, { ...config.istio, checkPhase: this.phase }, this.rng);
  }

  /** When it tries again after a CSR failed at `now`. */
  retryAt(now: number, config: IdentityConfig): number {
    const leaf = this.chain?.leaf;
    if (!leaf) return now + config.firstRetry;
    if (config.profile === 'linkerd') return linkerdNextRefresh(now, leaf.notAfter, config.linkerd);
    return istioRetryTime(leaf, now, { ...config.istio, checkPhase: this.phase });
  }
}
