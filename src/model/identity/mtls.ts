// What a new connection between meshed workloads needs (REFERENCE §6.1): the handshake's crypto time on top of the
// TLS round trip, and the mTLS verdict when it is set up — unless the connection stands for one that was already up
// (a request window taking over the flow level's connections), which is not checked again.
import type { Target } from '../transport/connection.ts';
import type { IdentityPlane } from './plane.ts';

export interface Tls {
  /** Seconds the handshake adds to the connection's set-up. */
  readonly extraDelay: number;
  /** The verdict, called once the connection is set up; undefined without mTLS. */
  readonly handshake: ((target: Target) => boolean) | undefined;
}

const PLAIN: Tls = { extraDelay: 0, handshake: undefined };

export function mtls(identity: IdentityPlane | undefined, client: string, inherits?: (client: string, server: string) => boolean): Tls {
  if (!identity) return PLAIN;
  return {
    extraDelay: identity.config.handshakeLatency,
    handshake: (target) => target.name !== undefined && (inherits?.(client, target.name) === true || identity.handshake(client, target.name)),
  };
}
