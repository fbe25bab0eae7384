// The certificate authority (istiod's CA, Linkerd's identity controller) as a queueing station: `capacity` signers in
// parallel, a FIFO queue, a signing time per CSR, outages, and an issuing certificate it cannot sign outside of
// (REFERENCE §6.1 "istiod down: no cert renewal", §6.2 "issuer expiry ⇒ identity service can't sign"). Pure: the
// caller owns the clock, asks `nextCompletion()` when to come back and calls `complete(now)` then.
import type { Rng } from '../../engine/index.ts';
import type { Certificate } from './certificate.ts';

/** Seconds per signature, fixed or drawn when a signer takes the CSR. */
export type SigningTime = number | ((rng: Rng) => number);

export interface CertificateAuthorityOptions {
  /** Name, used as the issuer of what it signs when there is no `issuer` certificate. Default `ca`. */
  name?: string;
  /** Parallel signers. Default 1. */
  capacity?: number;
  /** Default 0.01 s. */
  signingTime?: SigningTime;
  /**
   * During an outage: `fail` (default) — CSRs fail at once, including those queued or being signed when it begins;
   * `queue` — CSRs wait, signatures under way finish, no new one starts until recovery.
   */
  onOutage?: 'fail' | 'queue';
  /** The CA's own certificate: nothing is signed outside its validity, and it names the issuer of what is signed. */
  issuer?: Certificate;
  /** Lifetime of the certificates it signs, seconds. Default 24 h (istiod `DEFAULT_WORKLOAD_CERT_TTL`, Linkerd `issuanceLifetime`). */
  workloadLifetime?: number;
  /** notBefore is backdated by this much (Linkerd `clockSkewAllowance` 20 s). Default 0. */
  backdate?: number;
}

export type CsrFailure = 'outage' | 'issuer-expired' | 'issuer-not-yet-valid';

interface CsrCommon {
  readonly ticket: number;
  readonly subject: string;
  readonly submittedAt: number;
  readonly completedAt: number;
  /** Time spent queued before a signer took it (or before it failed), seconds. */
  readonly wait: number;
}

export type CsrResult =
  | (CsrCommon & { readonly ok: true; readonly startedAt: number; readonly certificate: Certificate })
  | (CsrCommon & { readonly ok: false; readonly reason: CsrFailure });

interface Csr {
  readonly ticket: number;
  readonly subject: string;
  readonly submittedAt: number;
}

interface Finishing {
  readonly at: number;
  /** Holds a signer until it finishes. */
  readonly signing: boolean;
  readonly result: CsrResult;
}

export class CertificateAuthority {
  readonly name: string;
  readonly capacity: number;
  readonly onOutage: 'fail' | 'queue';
  readonly issuer: Certificate | undefined;
  readonly workloadLifetime: number;
  readonly backdate: number;
  private readonly signingTime: (rng: Rng) => number;
  private readonly rng: Rng;
  private readonly queue: Csr[] = [];
  /** Sorted by (at, insertion): the order results come out. */
  private finishing: Finishing[] = [];
  private tickets = 0;
  private down = false;
  /** Signers busy now. */
  busy = 0;

  constructor(options: CertificateAuthorityOptions = {}, rng?: Rng) {
    this.name = options.name ?? 'ca';
    this.capacity = options.capacity ?? 1;
    if (!(Number.isInteger(this.capacity) && this.capacity >= 1)) throw new RangeError(`capacity must be an integer ≥ 1, not ${this.capacity}`);
    this.onOutage = options.onOutage ?? 'fail';
    this.issuer = options.issuer;
    this.workloadLifetime = options.workloadLifetime ?? 24 * 3600;
    if (!(this.workloadLifetime > 0)) throw new RangeError(`workloadLifetime must be > 0, not ${this.workloadLifetime}`);
    this.backdate = options.backdate ?? 0;
    const signing = options.signingTime ?? 0.01;
    if (typeof signing === 'number') {
      if (!(signing >= 0)) throw new RangeError(`signingTime must be ≥ 0, not ${signing}`);
      this.signingTime = () => signing;
    } else {
      if (!rng) throw new RangeError('a sampled signingTime needs an rng');
      this.signingTime = signing;
    }
    this.rng = rng ?? { next: () => 0 };
  }

  /** CSRs waiting for a signer. */
  get queueLength(): number {
    return this.queue.length;
  }

  get inOutage(): boolean {
    return this.down;
  }

  /** A workload asks for a certificate at `now`; its result comes out of `complete`. */
  submit(now: number, subject: string): { ticket: number } {
    const csr = { ticket: ++this.tickets, subject, submittedAt: now };
    if (this.down && this.onOutage === 'fail') this.fail(csr, now, 'outage');
    else {
      this.queue.push(csr);
      this.startSigning(now);
    }
    return { ticket: csr.ticket };
  }

  /** When the next result is due, or undefined if nothing is under way. Schedule a `complete` call then. */
  nextCompletion(): number | undefined {
    return this.finishing[0]?.at;
  }

  /** Every result due by `now`, in order; freed signers take queued CSRs at the instant they free up. */
  complete(now: number): CsrResult[] {
    const out: CsrResult[] = [];
    for (let next = this.finishing[0]; next !== undefined && next.at <= now; next = this.finishing[0]) {
      this.finishing.shift();
      if (next.signing) this.busy--;
      out.push(next.result);
      this.startSigning(next.at);
    }
    return out;
  }

  /** The CA goes down (`true`) or comes back at `now`. Results it causes come out of `complete`. */
  setOutage(now: number, down: boolean): void {
    if (down === this.down) return;
    this.down = down;
    if (down && this.onOutage === 'fail') {
      const signing = this.finishing.filter((f) => f.signing);
      this.finishing = this.finishing.filter((f) => !f.signing);
      this.busy = 0;
      for (const f of signing) this.fail(f.result, now, 'outage');
      for (const csr of this.queue.splice(0)) this.fail(csr, now, 'outage');
    }
    if (!down) this.startSigning(now);
  }

  private startSigning(now: number): void {
    if (this.down) return;
    while (this.busy < this.capacity && this.queue.length > 0) {
      const csr = this.queue.shift()!;
      const refusal = this.issuerRefusal(now);
      if (refusal) {
        this.fail(csr, now, refusal);
        continue;
      }
      const completedAt = now + this.signingTime(this.rng);
      const certificate: Certificate = {
        serial: `${this.name}/${csr.ticket}`,
        subject: csr.subject,
        issuer: this.issuer?.subject ?? this.name,
        notBefore: completedAt - this.backdate,
        notAfter: completedAt + this.workloadLifetime,
      };
      const result = { ...csr, ok: true as const, startedAt: now, completedAt, wait: now - csr.submittedAt, certificate };
      this.busy++;
      this.insert({ at: completedAt, signing: true, result });
    }
  }

  private issuerRefusal(now: number): CsrFailure | undefined {
    if (!this.issuer) return undefined;
    if (now < this.issuer.notBefore) return 'issuer-not-yet-valid';
    if (now >= this.issuer.notAfter) return 'issuer-expired';
    return undefined;
  }

  private fail(csr: Csr, now: number, reason: CsrFailure): void {
    const { ticket, subject, submittedAt } = csr;
    const result = { ticket, subject, submittedAt, ok: false as const, completedAt: now, wait: now - submittedAt, reason };
    this.insert({ at: now, signing: false, result });
  }

  private insert(entry: Finishing): void {
    let i = this.finishing.length;
    while (i > 0 && this.finishing[i - 1]!.at > entry.at) i--;
    this.finishing.splice(i, 0, entry);
  }
}
