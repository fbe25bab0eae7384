// An L7 proxy's outbound cluster for one destination. Each Envoy worker thread keeps its own
// balancer state and its own connections to every pod, and sees only its own active requests
// (Envoy FAQ "concurrency_lb"; REFERENCE §2.1 threading); circuit breakers and retry budgets are
// per cluster, shared by the workers (§2.5). Linkerd shares one balancer per destination, so it
// runs with a single worker here.
import type { Stream } from '../../engine/index.ts';
import type { Endpoint, Picker } from '../balancer/types.ts';
import type { Pod } from '../pod/pod.ts';
import type { FailureAccrual } from '../resilience/failure-accrual.ts';
import type { Done, Req } from '../rpc.ts';
import { Status } from '../status.ts';
import type { Endpoints } from '../transport/endpoints.ts';
import { type Connect, NO_HEALTHY_UPSTREAM, UpstreamPool } from '../transport/pools.ts';
import { type AttemptDone, type OutboundContext, routeRequest, type Upstream } from './outbound.ts';
import type { ClusterHealth } from './outlier.ts';

interface LbEndpoint extends Endpoint {
  readonly pod: Pod;
  readonly pool: UpstreamPool;
  /** Linkerd failure accrual: a breaker per endpoint (absent when not configured). */
  readonly accrual: FailureAccrual | undefined;
}

/** Linkerd's failure accrual for a worker's endpoints: a breaker factory and the clock. */
export interface Accrual {
  create(pod: Pod): FailureAccrual;
  now(): number;
}

/** Istio sets host_selection_retry_max_attempts = 5: Envoy picks up to 5 + 1 times to avoid a host already tried. */
const HOST_SELECTION_ATTEMPTS = 5;

export class ProxyWorker implements Upstream {
  private endpoints: LbEndpoint[] = [];
  private readonly byPod = new Map<Pod, LbEndpoint>();
  private readonly picker: Picker<LbEndpoint>;
  private readonly rng: Stream;
  private readonly connect: Connect;

  private readonly accrual: Accrual | undefined;

  private readonly atLimit: (() => boolean) | undefined;
  /** Envoy outlier detection of this worker's cluster (absent when not configured). */
  private readonly health: ClusterHealth | undefined;
  private healthVersion = -1;
  /** The endpoints the balancer may pick while outlier detection is on: healthy ones, or all of them in panic. */
  private routable: LbEndpoint[] = [];

  constructor(
    endpoints: Endpoints,
    picker: Picker<LbEndpoint>,
    rng: Stream,
    connect: Connect,
    accrual?: Accrual,
    atLimit?: () => boolean,
    health?: ClusterHealth,
  ) {
    this.atLimit = atLimit;
    this.health = health;
    health?.onEject((pod) => this.byPod.get(pod)?.pool.drain());
    this.accrual = accrual;
    this.picker = picker;
    this.rng = rng;
    this.connect = connect;
    this.update(endpoints.current);
    endpoints.onChange((pods) => this.update(pods));
  }

  /** Connections this worker opened. */
  get opened(): number {
    let n = 0;
    for (const e of this.byPod.values()) n += e.pool.opened;
    return n;
  }

  send(req: Req, avoid: ReadonlySet<Pod> | undefined, done: AttemptDone): Pod | undefined {
    const endpoints = this.accrual ? this.admitted() : this.health ? this.healthy(this.health) : this.endpoints;
    if (endpoints.length === 0) {
      done(NO_HEALTHY_UPSTREAM);
      return undefined;
    }
    let e = this.picker.pick(endpoints, this.rng, req.rpc.hashKey);
    if (avoid && avoid.size > 0 && req.rpc.hashKey === undefined)
      for (let i = 0; i < HOST_SELECTION_ATTEMPTS && avoid.has(e.pod); i++) e = this.picker.pick(endpoints, this.rng);
    const chosen = e;
    // A half-open breaker lets one probe through; others fall back to an endpoint whose breaker is closed.
    if (chosen.accrual && chosen.accrual.state(this.accrual!.now()) === 'half-open' && !chosen.accrual.tryAdmit(this.accrual!.now())) {
      const closed = endpoints.filter((x) => x.accrual?.state(this.accrual!.now()) === 'closed');
      if (closed.length === 0) {
        done(NO_HEALTHY_UPSTREAM);
        return undefined;
      }
      return this.dispatch(this.picker.pick(closed, this.rng, req.rpc.hashKey), req, done);
    }
    return this.dispatch(chosen, req, done);
  }

  private dispatch(chosen: LbEndpoint, req: Req, done: AttemptDone): Pod {
    chosen.active++;
    const feedback = this.picker.feedback;
    const sentAt = feedback ? feedback.now() : 0;
    chosen.pool.send(req, (result) => {
      chosen.active--;
      // tower's peak-EWMA handle records the time to the answer however the attempt ends, a reset included.
      if (feedback) {
        const now = feedback.now();
        feedback.observe(chosen, now - sentAt, now);
      }
      if (result.flag !== 'LR') chosen.accrual?.onResult(result.status === Status.OK, this.accrual!.now());
      done(result, chosen.pod);
    });
    return chosen.pod;
  }

  /**
   * Hosts not ejected; all hosts when the healthy share is under the panic threshold (REFERENCE §1.6, §2.2); none
   * when every host is ejected and panic is off, which the caller answers with UH.
   */
  private healthy(health: ClusterHealth): LbEndpoint[] {
    if (health.version !== this.healthVersion) {
      this.healthVersion = health.version;
      const healthy = this.endpoints.filter((e) => !health.isEjected(e.pod));
      const all = healthy.length === this.endpoints.length || health.inPanic;
      this.routable = all ? this.endpoints : healthy;
    }
    return this.routable;
  }

  /** Endpoints whose breaker is not open (all of them while every breaker is closed). */
  private admitted(): LbEndpoint[] {
    const now = (this.accrual as Accrual).now();
    let anyTripped = false;
    for (const e of this.endpoints) if (e.accrual?.state(now) !== 'closed') anyTripped = true;
    return anyTripped ? this.endpoints.filter((e) => e.accrual?.state(now) !== 'open') : this.endpoints;
  }

  private update(pods: readonly Pod[]): void {
    this.endpoints = pods.map((pod) => {
      let e = this.byPod.get(pod);
      if (!e) {
        e = { id: pod.index, weight: 1, active: 0, pod, pool: new UpstreamPool(pod, this.connect, true, this.atLimit), accrual: this.accrual?.create(pod) };
        this.byPod.set(pod, e);
      }
      return e;
    });
    this.healthVersion = -1;
    this.picker.update?.(this.endpoints);
  }
}

/** A proxy's view of one destination: its workers and the per-cluster outbound state. */
export class ProxyCluster {
  readonly workers: ProxyWorker[];
  readonly outbound: OutboundContext;
  constructor(workers: ProxyWorker[], outbound: OutboundContext) {
    this.workers = workers;
    this.outbound = outbound;
  }
  get opened(): number {
    return this.workers.reduce((n, w) => n + w.opened, 0);
  }
  /** A request arriving on a downstream connection bound to `worker`. */
  handle(req: Req, worker: ProxyWorker, done: Done): void {
    routeRequest(this.outbound, worker, req, done);
  }
}
