// Scenario vocabulary for workload identity (REFERENCE §6): certificate lifetimes and each mesh's renewal knobs under
// their own names (Istio's istio-agent env, Linkerd's proxy and chart values), the CA as a queue, clock skew, the trust
// root and issuer, handshake costs, and the traffic resolution (request level or flow level, docs/certificates.md).
import { z } from 'zod';
import { distribution, duration } from './schema-units.ts';

export const identity = z.strictObject({
  mtls: z.boolean().default(true).describe('Mutual TLS between meshed workloads (sidecar or ambient); dataPlane none never has it.'),
  certTtl: duration
    .refine((d) => d > 0, 'certTtl must be longer than 0s')
    .prefault('24h')
    .describe('Workload certificate lifetime: Istio SECRET_TTL / DEFAULT_WORKLOAD_CERT_TTL, Linkerd issuanceLifetime (both 24h).'),
  istio: z
    .strictObject({
      gracePeriodRatio: z.number().min(0).max(1).default(0.5).describe('SECRET_GRACE_PERIOD_RATIO: renew when this share of the lifetime remains.'),
      gracePeriodRatioJitter: z
        .number()
        .min(0)
        .max(0.5)
        .default(0.01)
        .describe('SECRET_GRACE_PERIOD_RATIO_JITTER: half-width of the uniform jitter on the ratio (istio#52102); 0 turns it off.'),
      rotationCheckInterval: duration
        .refine((d) => d > 0, 'rotationCheckInterval must be longer than 0s')
        .prefault('5m')
        .describe('SECRET_ROTATION_CHECK_INTERVAL: the agent checks (and retries) on this grid.'),
    })
    .prefault({})
    .refine((c) => c.gracePeriodRatio - c.gracePeriodRatioJitter >= 0 && c.gracePeriodRatio + c.gracePeriodRatioJitter <= 1, {
      message: 'gracePeriodRatio ± gracePeriodRatioJitter must stay within [0, 1]',
    })
    .describe('istio-agent knobs, used with `mesh.proxy: envoy`.'),
  linkerd: z
    .strictObject({
      refreshRatio: z.number().gt(0).max(1).default(0.7).describe('Refresh after this share of the time left until expiry (linkerd2-proxy certify.rs).'),
      minRefresh: duration
        .refine((d) => d > 0, 'minRefresh must be longer than 0s')
        .prefault('10s')
        .describe('Lower clamp of the refresh delay; also the retry period once expired or before the first identity.'),
      maxRefresh: duration.prefault('24h').describe('Upper clamp of the refresh delay.'),
      clockSkewAllowance: duration.prefault('20s').describe('Issuer clockSkewAllowance: notBefore is backdated and validation is this lenient.'),
    })
    .prefault({})
    .refine((c) => c.maxRefresh >= c.minRefresh, { message: 'maxRefresh must not be less than minRefresh' })
    .describe('Linkerd proxy and issuer knobs, used with `mesh.proxy: linkerd`.'),
  ca: z
    .strictObject({
      signingTime: z
        .union([duration, distribution])
        .prefault('10ms')
        .describe('Time one signer spends on a CSR (no published figure: an assumption; a distribution gives an M/G/c queue).'),
      capacity: z.int().min(1).max(10_000).default(1).describe('CSRs signed in parallel (istiod replicas × signing workers).'),
    })
    .prefault({})
    .describe('The CA (istiod, or the Linkerd identity controller) as a queueing station.'),
  clockSkew: duration.prefault('0s').describe('Each node clock is off by a uniform draw in ±clockSkew (handshakes validate on the local clock).'),
  root: z
    .strictObject({ expiresIn: duration.optional().describe('From the run start; default 3650d (Istio self-signed root) or 365d (Linkerd CLI trust anchor).') })
    .prefault({})
    .describe('The trust root (Istio self-signed root, Linkerd trust anchor).'),
  issuer: z
    .strictObject({ expiresIn: duration.optional().describe('From the run start; default 365d (Linkerd CLI issuer).') })
    .optional()
    .describe('An intermediate issuer between root and workloads; Linkerd always has one (added when omitted), Istio only with a plugged-in CA.'),
  initialCertificates: z
    .enum(['staggered', 'fresh'])
    .default('staggered')
    .describe(
      'staggered: at the start each workload holds a certificate of a random age within one renewal period (a fleet in steady state); fresh: every workload asks for its first certificate at 0 s.',
    ),
  handshake: z
    .strictObject({
      latency: duration
        .prefault('0s')
        .describe('Crypto time an mTLS handshake adds to connection set-up; its round trip is already one of `network.connectRtts`.'),
      cpu: duration.prefault('1ms').describe('Proxy CPU one mTLS handshake costs (both sides together).'),
    })
    .prefault({}),
});
export type IdentitySpec = z.output<typeof identity>;

export const traffic = z.strictObject({
  mode: z
    .enum(['requests', 'flows'])
    .default('requests')
    .describe(
      'requests: every RPC is simulated; flows: connections, handshakes, certificates and control-plane events are events, RPCs a rate integrated between them (for runs of days; docs/certificates.md).',
    ),
  requestWindows: z
    .array(
      z.strictObject({
        at: duration.describe('Start of the window.'),
        for: duration.refine((d) => d > 0, 'a window must be longer than 0s').describe('Length of the window.'),
      }),
    )
    .default([])
    .describe('With `mode: flows`: windows simulated RPC by RPC (latency, queues), e.g. around the first failures of a days-long run.'),
});
export type TrafficSpec = z.output<typeof traffic>;
