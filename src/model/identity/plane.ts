// The mesh's identity plane on the clock: one certificate per workload, its agent's renewal schedule (Istio's agent
// or Linkerd's proxy), CSRs queued at the CA, per-node clock skew, the trust bundle and its rotation, and the mTLS
// verdict of a new connection. REFERENCE §6: only handshakes check certificates; an established connection runs on.
import type { RandomStreams, Rng, Simulation, Timer } from '../../engine/index.ts';
import { Agent } from './agent.ts';
import { CertificateAuthority } from './ca.ts';
import { type Certificate, handshake } from './certificate.ts';
import { type IdentityConfig, renewalPeriod } from './config.ts';
import { type HandshakeFailure, type IdentityLog, nullIdentityLog } from './log.ts';
import { issuerCertificate, rootCertificate } from './trust.ts';

export type { HandshakeFailure, IdentityLog } from './log.ts';
export { nullIdentityLog } from './log.ts';

export class IdentityPlane {
  readonly config: IdentityConfig;
  /** The trust bundle every proxy holds (mesh-wide; see docs/certificates.md). */
  roots: Certificate[];
  private readonly sim: Simulation;
  private readonly streams: RandomStreams;
  private readonly log: IdentityLog;
  private readonly workloads = new Map<string, Agent>();
  private readonly nodeSkew: number[] = [];
  private readonly skewRng: Rng;
  /** The CA that signs now; older ones (before a root rotation) finish what they hold. */
  private cas: CertificateAuthority[] = [];
  private issuer: Certificate | undefined;
  private readonly tickets = new Map<CertificateAuthority, Map<number, Agent>>();
  private pumpTimer: Timer | undefined;
  private readonly outages = new Set<string>();
  private generation = 1;
  private expiredCount = 0;
  private missingCount = 0;
  private readonly changed: ((workload: string | undefined) => void)[] = [];
  private readonly certified: ((workload: string) => void)[] = [];
  /** Handshakes attempted, ever (for their CPU). */
  handshakeCount = 0;

  constructor(sim: Simulation, config: IdentityConfig, streams: RandomStreams, log: IdentityLog = nullIdentityLog) {
    this.sim = sim;
    this.config = config;
    this.streams = streams;
    this.log = log;
    this.skewRng = streams.stream('identity/skew');
    const root = rootCertificate(1, -365 * 24 * 3600, sim.now, config);
    this.roots = [root];
    this.issuer = issuerCertificate(root, -365 * 24 * 3600, sim.now, config);
    this.cas = [this.makeCa(root, streams.stream('identity/ca/signing'))];
  }

  /** Workloads known to the plane (pods, client pods, waypoints). */
  get count(): number {
    return this.workloads.size;
  }

  /** Called with a workload's name when its certificate changes, or with undefined when the trust bundle does. */
  onChange(listener: (workload: string | undefined) => void): void {
    this.changed.push(listener);
  }

  /** Called when a workload that held no certificate installs one (a new or restarted pod becomes able to serve). */
  onCertified(listener: (workload: string) => void): void {
    this.certified.push(listener);
  }

  /** The node's clock offset, drawn once per node in ±maxSkew. */
  skewOf(node: number): number {
    while (this.nodeSkew.length <= node) this.nodeSkew.push(this.config.maxSkew * (2 * this.skewRng.next() - 1));
    return this.nodeSkew[node] as number;
  }

  /**
   * A workload joins: `initial` holds a certificate of random age within one renewal period (a fleet in steady state),
   * `fresh` asks the CA now. Registering a name twice keeps the first.
   */
  add(name: string, node: number, start: 'initial' | 'fresh'): void {
    if (this.workloads.has(name)) return;
    const w = new Agent(name, this.skewOf(node), this.sim.now, this.streams.stream(`identity/${name}/renewal`));
    this.workloads.set(name, w);
    if (start === 'initial' && this.config.initial === 'staggered') {
      const age = renewalPeriod(this.config) * this.streams.stream(`identity/${name}/age`).next();
      const issued = this.sim.now - age;
      w.phase = issued;
      const cert: Certificate = {
        serial: `${name}#0`,
        subject: name,
        issuer: this.signer().subject,
        notBefore: issued - this.config.backdate,
        notAfter: issued + this.config.lifetime,
      };
      this.install(w, cert, false);
      return;
    }
    this.missingCount++;
    this.reportInvalid();
    this.request(w);
  }

  /** A restarted pod: its certificate is gone with its memory; it asks for a new one at once and holds none until then. */
  restart(name: string): void {
    const w = this.workloads.get(name);
    if (!w) return;
    w.next?.cancel();
    w.expiry?.cancel();
    if (w.chain) {
      if (w.expired) this.expiredCount--;
      this.missingCount++;
      w.chain = undefined;
      w.expired = false;
      this.log.released(name, this.sim.now);
      this.reportInvalid();
      for (const l of this.changed) l(name);
    }
    w.phase = this.sim.now;
    if (!w.inFlight) this.request(w);
  }

  /** A pod scaled away: its agent stops, its certificate goes with it, and it no longer counts as a workload. */
  retire(name: string): void {
    const w = this.workloads.get(name);
    if (!w) return;
    w.next?.cancel();
    w.expiry?.cancel();
    if (w.expired) this.expiredCount--;
    if (!w.chain) this.missingCount--;
    else this.log.released(name, this.sim.now);
    this.workloads.delete(name);
    this.reportInvalid();
  }

  /** Whether `name` holds a certificate now (Linkerd's readiness latch, Istio's sidecar readiness). */
  hasCertificate(name: string): boolean {
    return this.workloads.get(name)?.chain !== undefined;
  }

  /** The CA stops signing for `reason` (`ca`, `control-plane`), or resumes once no reason is left. */
  setOutage(reason: string, down: boolean): void {
    if (down) this.outages.add(reason);
    else this.outages.delete(reason);
    const any = this.outages.size > 0;
    for (const ca of this.cas) ca.setOutage(this.sim.now, any);
    this.pump();
  }

  get caDown(): boolean {
    return this.outages.size > 0;
  }

  /**
   * A new root (and issuer) signs from now on. Both roots are trusted for `overlap` seconds, then only the new one;
   * `overlap` 0 switches at once, so every certificate signed by the old root stops being trusted.
   */
  rotateRoot(overlap: number): void {
    const root = rootCertificate(++this.generation, this.sim.now, this.sim.now, this.config);
    this.issuer = issuerCertificate(root, this.sim.now, this.sim.now, this.config);
    const ca = this.makeCa(root, this.streams.stream(`identity/ca${this.generation}/signing`));
    if (this.caDown) ca.setOutage(this.sim.now, true);
    this.cas = [ca, ...this.cas];
    this.setRoots(overlap > 0 ? [...this.roots, root] : [root]);
    if (overlap > 0) this.sim.schedule(overlap, () => this.setRoots(this.roots.filter((r) => r.subject === root.subject)), undefined, true);
  }

  /** The mTLS verdict of a new connection from `client` to `server` now, on each side's clock. */
  verdict(client: string, server: string): { ok: true } | { ok: false; reason: HandshakeFailure } {
    const c = this.workloads.get(client)?.chain;
    const s = this.workloads.get(server)?.chain;
    if (!c || !s) return { ok: false, reason: 'no-certificate' };
    const cs = (this.workloads.get(client) as Agent).skew;
    const ss = (this.workloads.get(server) as Agent).skew;
    const v = handshake(c, s, this.roots, this.sim.now, cs, ss, this.config.skewAllowance);
    return v.ok ? v : { ok: false, reason: v.reason };
  }

  /** Performs and records one handshake: true when the connection may carry traffic. */
  handshake(client: string, server: string): boolean {
    const ok = this.verdict(client, server).ok;
    this.record(client, server, ok, 1);
    return ok;
  }

  /** Records `count` handshakes decided elsewhere (the flow level integrates them). */
  record(client: string, server: string, ok: boolean, count: number): void {
    this.handshakeCount += count;
    this.log.handshakes(client, server, ok, count, this.sim.now);
  }

  private signer(): Certificate {
    return this.issuer ?? (this.roots[this.roots.length - 1] as Certificate);
  }

  private makeCa(root: Certificate, rng: Rng): CertificateAuthority {
    const signing = this.config.signingTime;
    const ca = new CertificateAuthority(
      {
        name: `ca-${this.generation}`,
        capacity: this.config.capacity,
        signingTime: typeof signing === 'number' ? signing : (r) => signing.sample(r),
        issuer: this.issuer ?? root,
        workloadLifetime: this.config.lifetime,
        backdate: this.config.backdate,
      },
      rng,
    );
    this.tickets.set(ca, new Map());
    return ca;
  }

  private setRoots(roots: Certificate[]): void {
    this.roots = roots;
    for (const l of this.changed) l(undefined);
  }

  private request(w: Agent): void {
    w.inFlight = true;
    const ca = this.cas[0] as CertificateAuthority;
    const { ticket } = ca.submit(this.sim.now, w.name);
    this.tickets.get(ca)?.set(ticket, w);
    this.pump();
  }

  /** Comes back when the next CSR result is due (daemon: certificates alone never keep a run going). */
  private pump(): void {
    let next = Number.POSITIVE_INFINITY;
    for (const ca of this.cas) next = Math.min(next, ca.nextCompletion() ?? Number.POSITIVE_INFINITY);
    if (next === Number.POSITIVE_INFINITY) return;
    if (this.pumpTimer?.active && this.pumpTimer.time <= next) return;
    this.pumpTimer?.cancel();
    this.pumpTimer = this.sim.at(next, () => this.complete(), undefined, true);
  }

  private complete(): void {
    this.pumpTimer = undefined;
    for (const ca of this.cas) {
      const byTicket = this.tickets.get(ca) as Map<number, Agent>;
      for (const result of ca.complete(this.sim.now)) {
        const w = byTicket.get(result.ticket);
        byTicket.delete(result.ticket);
        this.log.csr(result);
        if (!w) continue;
        w.inFlight = false;
        if (result.ok) this.installSigned(w, result.certificate, ca);
        else this.retry(w);
      }
    }
    this.pump();
  }

  private installSigned(w: Agent, cert: Certificate, ca: CertificateAuthority): void {
    const first = w.chain === undefined;
    if (first) this.missingCount--;
    const intermediate = ca.issuer && ca.issuer.issuer !== ca.issuer.subject ? ca.issuer : undefined;
    this.install(w, cert, !first, intermediate);
    if (first) for (const l of this.certified) l(w.name);
  }

  private install(w: Agent, cert: Certificate, renewal: boolean, intermediate = this.issuer): void {
    w.chain = intermediate ? { leaf: cert, intermediate } : { leaf: cert };
    if (w.expired) {
      w.expired = false;
      this.expiredCount--;
    }
    this.reportInvalid();
    this.log.certificate(w.name, cert, renewal, this.sim.now);
    w.expiry?.cancel();
    w.expiry = this.sim.at(cert.notAfter, () => this.expire(w), undefined, true);
    this.schedule(w, w.renewAt(cert, this.config));
    for (const l of this.changed) l(w.name);
  }

  private expire(w: Agent): void {
    w.expired = true;
    this.expiredCount++;
    this.reportInvalid();
  }

  private reportInvalid(): void {
    this.log.invalid(this.expiredCount, this.missingCount, this.workloads.size, this.sim.now);
  }

  private retry(w: Agent): void {
    this.schedule(w, w.retryAt(this.sim.now, this.config));
  }

  private schedule(w: Agent, at: number): void {
    w.next?.cancel();
    w.next = this.sim.at(
      at,
      () => {
        w.next = undefined;
        if (!w.inFlight) this.request(w);
      },
      undefined,
      true,
    );
  }
}
