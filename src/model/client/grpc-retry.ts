// gRPC's own retries and hedging in the calling application's channel (gRFC A6): a retry policy
// (maxAttempts ≤ 5, exponential back-off with jitter, retryable status codes) or a hedging policy
// (a new attempt every hedgingDelay until one answers OK or fatally), both subject to per-channel
// retry throttling. The RPC's deadline spans every attempt (the caller enforces it).
import type { Simulation, Stream, Timer } from '../../engine/index.ts';
import type { ServiceConfigSpec } from '../../scenario/schema.ts';
import type { Probe } from '../probe.ts';
import { grpcRetryPolicy, retryThrottle } from '../resilience/index.ts';
import { type Done, once, Req } from '../rpc.ts';
import { attemptResult } from '../sidecar/retry-types.ts';
import { type Outcome, Status } from '../status.ts';
import type { Channel } from '../transport/channel.ts';

const code = (name: string) => Status[name as keyof typeof Status];

export function grpcRetryChannel(
  inner: Channel,
  config: ServiceConfigSpec,
  sim: Simulation,
  probe: Probe,
  rng: Stream,
  gauge?: (read: () => number) => void,
): Channel {
  const throttle = config.retryThrottling ? retryThrottle(config.retryThrottling) : undefined;
  if (throttle) gauge?.(() => throttle.tokens);
  const allowed = () => throttle?.allowsRetry() ?? true;
  if (config.hedgingPolicy) return hedging(inner, config.hedgingPolicy, sim, probe, allowed, throttle);
  const spec = config.retryPolicy;
  if (!spec) return inner;
  const retryable = new Set(spec.retryableStatusCodes.map(code));
  const policy = grpcRetryPolicy(
    {
      maxAttempts: spec.maxAttempts,
      initialBackoff: spec.initialBackoff,
      maxBackoff: spec.maxBackoff,
      backoffMultiplier: spec.backoffMultiplier,
      retryableStatusCodes: [...retryable],
    },
    { jitter: spec.jitter },
  );
  return {
    send(req, done) {
      const answer = once(done);
      const decider = policy.call(throttle);
      let current: Req | undefined;
      let timer: Timer | undefined;
      req.onCancel = () => {
        timer?.cancel();
        current?.cancel();
      };
      const attempt = (n: number): void => {
        current = new Req(req.rpc, req.deadline, n);
        inner.send(current, (o: Outcome) => {
          current = undefined;
          if (req.cancelled) return;
          // gRFC A6 in grpc-go's order: commit, pushback, status, throttle, attempts; pushback sets the delay.
          const decision = decider.next(attemptResult(o), rng);
          if (decision.retry) {
            probe.retry(req.rpc, sim.now);
            timer = sim.schedule(decision.delay, () => attempt(n + 1));
            return;
          }
          if (decision.reason === 'throttled') {
            probe.retry(req.rpc, sim.now);
            probe.retryRejected(req.rpc, sim.now);
          }
          answer(o);
        });
      };
      attempt(1);
    },
  };
}

/**
 * gRPC's transparent retry (gRFC A6): an RPC that never reached the server application — refused, or
 * still waiting on a connection that closed — is sent again at once, once, outside any retry policy and
 * throttling. Only for the app's own connections (no sidecar in between).
 */
export function transparentRetry(inner: Channel): Channel {
  return {
    send(req, done) {
      inner.send(req, (o) => {
        if (o.flag !== 'RS' || req.cancelled) return done(o);
        const again = new Req(req.rpc, req.deadline, req.attempt);
        req.onCancel = () => again.cancel();
        inner.send(again, done);
      });
    },
  };
}

function hedging(
  inner: Channel,
  spec: NonNullable<ServiceConfigSpec['hedgingPolicy']>,
  sim: Simulation,
  probe: Probe,
  allowed: () => boolean,
  throttle: ReturnType<typeof retryThrottle> | undefined,
): Channel {
  const nonFatal = new Set(spec.nonFatalStatusCodes.map(code));
  const maxAttempts = Math.min(spec.maxAttempts, 5);
  return {
    send(req, done: Done) {
      const answer = once(done);
      const live = new Set<Req>();
      let sent = 0;
      let last: Outcome | undefined;
      let timer: Timer | undefined;
      const stop = () => {
        timer?.cancel();
        for (const r of live) r.cancel();
        live.clear();
      };
      req.onCancel = stop;
      const finish = (o: Outcome) => {
        answer(o);
        stop();
      };
      const hedge = (): void => {
        timer = undefined;
        if (req.cancelled || answer.fired) return;
        if (sent > 0) {
          probe.retry(req.rpc, sim.now);
          if (!allowed()) {
            probe.retryRejected(req.rpc, sim.now);
            // Throttled with nothing left in flight: the last failure is the answer.
            if (live.size === 0 && last) finish(last);
            return;
          }
        }
        const r = new Req(req.rpc, req.deadline, ++sent);
        live.add(r);
        if (sent < maxAttempts) timer = sim.schedule(spec.hedgingDelay, hedge);
        inner.send(r, (o) => {
          live.delete(r);
          if (answer.fired || req.cancelled) return;
          if (o.status === Status.OK) {
            throttle?.onSuccess();
            return finish(o);
          }
          if (!nonFatal.has(o.status)) return finish(o);
          last = o;
          throttle?.onFailure();
          // A non-fatal failure sends the next hedge at once, skipping its delay (gRFC A6); with none
          // left, the last answer to arrive is the RPC's.
          if (sent < maxAttempts) {
            timer?.cancel();
            hedge();
          } else if (live.size === 0) finish(o);
        });
      };
      hedge();
    },
  };
}
