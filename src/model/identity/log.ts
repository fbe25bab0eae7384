// What the identity plane reports as it runs (observe/ implements it), and why a handshake can fail.
import type { CsrResult } from './ca.ts';
import type { Certificate, ChainFailure } from './certificate.ts';

/** Why a handshake failed: a chain problem, or a side that holds no certificate at all. */
export type HandshakeFailure = ChainFailure | 'no-certificate';

/** What the identity plane reports as it runs; observe/ implements it. */
export interface IdentityLog {
  /** `workload` installed `cert` at `now` (`renewal`: it replaced one; false for a first or initial certificate). */
  certificate(workload: string, cert: Certificate, renewal: boolean, now: number): void;
  /** `workload` lost its certificate at `now` (a new container: the key was in memory). */
  released(workload: string, now: number): void;
  csr(result: CsrResult): void;
  /** `count` handshakes of `client` toward `server` ended `ok` or not at `now` (fractional at the flow level). */
  handshakes(client: string, server: string, ok: boolean, count: number, now: number): void;
  /** Agents holding an expired certificate, and workloads holding none, changed. */
  invalid(expired: number, missing: number, total: number, now: number): void;
}

export const nullIdentityLog: IdentityLog = { certificate() {}, released() {}, csr() {}, handshakes() {}, invalid() {} };
