// How one client pod's call reaches its destination in each data plane mode (REFERENCE §2, §7):
//  - none, ClusterIP: the channel's connections each go to a pod kube-proxy chose when it opened.
//  - none, gRPC pick_first / round_robin over a headless service: one pod, or a subchannel per pod.
//  - sidecar: the app's connections go to its local proxy, bound each to one worker, which chooses a
//    pod per request and keeps its own connections to every pod.
//  - ambient: ztunnel chooses a pod per connection (L4); with a waypoint, the connection is pinned to
//    a waypoint pod that chooses a pod per request (L7).
import type { Stream } from '../../engine/index.ts';
import type { CallSpec, Scenario } from '../../scenario/schema.ts';
import { mtls } from '../identity/mtls.ts';
import type { Pod } from '../pod/pod.ts';
import type { Req } from '../rpc.ts';
import type { ProxyOutbound } from '../sidecar/subset-router.ts';
import type { Channel } from '../transport/channel.ts';
import { Connection, type ConnectionOptions, type Target } from '../transport/connection.ts';
import type { EndpointSet } from '../transport/endpoints.ts';
import { type L4Choice, randomPerConnection } from '../transport/l4.ts';
import { ChannelPool, type Connect, NO_HEALTHY_UPSTREAM, UpstreamPool } from '../transport/pools.ts';
import { grpcRetryChannel, transparentRetry } from './grpc-retry.ts';
import type { WiringContext } from './wiring.ts';

export interface ClientPod {
  service: string;
  index: number;
  node: number;
}

const INF = Number.POSITIVE_INFINITY;

/** Options of a connection that reaches the destination app's own gRPC server (its A9 settings apply). */
function appServerOptions(ctx: WiringContext, dest: string, rng: Stream, up: () => number, down: () => number): () => ConnectionOptions {
  const server = (ctx.scenario.services[dest] as Scenario['services'][string]).server;
  return () => ({
    connectDelay: ctx.connectDelay,
    maxStreams: server.maxConcurrentStreams ?? INF,
    maxRequests: 0,
    maxAge: server.maxConnectionAge === undefined ? INF : server.maxConnectionAge * (0.9 + 0.2 * rng.next()),
    grace: server.maxConnectionAgeGrace ?? INF,
    idle: server.maxConnectionIdle ?? INF,
    up,
    down,
  });
}

/** A connect function that counts what it opens, and (toward pods) every attempt sent on it. */
export function connector(ctx: WiringContext, options: () => ConnectionOptions, countAttempts = true): Connect {
  const onSend = countAttempts ? (req: Req) => ctx.probe.attempt(req.rpc, ctx.sim.now) : undefined;
  return (target, events) => {
    if (ctx.sim.now >= ctx.measure.from && ctx.sim.now < ctx.measure.to) ctx.stats.connectionsOpened++;
    return new Connection(ctx.sim, target, { ...options(), onSend }, events);
  };
}

/** gRPC round_robin: a subchannel per pod, RPCs in turn from a random starting index (as grpc-go does). */
function headlessRoundRobin(endpoints: EndpointSet, connect: Connect, rng: Stream): Channel {
  const pools = new Map<Pod, UpstreamPool>();
  let next = Math.floor(rng.next() * 1_000_003);
  return {
    send(req, done) {
      const pods = endpoints.current;
      if (pods.length === 0) return done(NO_HEALTHY_UPSTREAM);
      const pod = pods[next++ % pods.length] as Pod;
      let pool = pools.get(pod);
      if (!pool) pools.set(pod, (pool = new UpstreamPool(pod, connect, false)));
      pool.send(req, done);
    },
  };
}

/** pick_first: the first address of this client's (shuffled) DNS answer that is still there. */
function pickFirst(endpoints: EndpointSet, rng: Stream): () => Pod | undefined {
  const rank = new Map<Pod, number>();
  return () => {
    let best: Pod | undefined;
    for (const pod of endpoints.current) {
      if (!rank.has(pod)) rank.set(pod, rng.next());
      if (!best || (rank.get(pod) as number) < (rank.get(best) as number)) best = pod;
    }
    return best;
  };
}

/** Round robin over the app's downstream connections, each bound to one proxy worker at random. */
function viaProxy(out: ProxyOutbound, connections: number, rng: Stream): Channel {
  const bound = Array.from({ length: connections }, () => Math.floor(rng.next() * out.workers));
  let next = 0;
  return { send: (req, done) => out.handle(req, bound[next++ % bound.length] as number, done) };
}

/** What a channel needs to know of a call (a workload's call or a handler's). */
export type ChannelSpec = Pick<CallSpec, 'to' | 'connections' | 'loadBalancing' | 'serviceConfig'>;

/** The app's channel for `call`, with gRPC's own retries or hedging when its service config asks for them. */
export function channelFor(ctx: WiringContext, client: ClientPod, call: ChannelSpec, name: string): Channel {
  const mesh = ctx.scenario.mesh;
  const own = mesh.dataPlane === 'none' || (mesh.dataPlane === 'ambient' && !mesh.waypoint);
  const transport = transportFor(ctx, client, call, name);
  // The app's own connections reach pods directly: gRPC retries a never-sent RPC transparently.
  const inner = own ? transparentRetry(transport) : transport;
  if (!call.serviceConfig) return inner;
  const rng = ctx.streams.stream(`client/${client.service}/${client.index}/${name}/grpc-retry`);
  return grpcRetryChannel(inner, call.serviceConfig, ctx.sim, ctx.probe, rng, (read) => ctx.gauges.push({ to: call.to, kind: 'grpc-tokens', read }));
}

function transportFor(ctx: WiringContext, client: ClientPod, call: ChannelSpec, name: string): Channel {
  const stream = (purpose: string) => ctx.streams.stream(`client/${client.service}/${client.index}/${name}/${purpose}`);
  const endpoints = ctx.services.get(call.to) as EndpointSet;
  const mesh = ctx.scenario.mesh;
  const hop = ctx.scenario.network.latency;

  if (mesh.dataPlane === 'sidecar') return viaProxy(ctx.sidecar(client, call.to), call.connections, stream('worker'));

  const workload = `${client.service}/${client.index}`;
  if (mesh.dataPlane === 'ambient' && mesh.waypoint) {
    const waypoints = ctx.waypoints(call.to);
    const up = ctx.halfDelay('ztunnel', 'waypoint', stream('delay'));
    const { extraDelay, handshake } = mtls(ctx.control.identity, workload, ctx.control.inherits);
    const connect = connector(
      ctx,
      () => ({
        connectDelay: ctx.connectDelay + extraDelay,
        handshake,
        maxStreams: INF,
        maxRequests: 0,
        maxAge: INF,
        grace: INF,
        idle: INF,
        up,
        down: up,
      }),
      false,
    );
    const rng = stream('l4');
    const choose = (): Target | undefined => waypoints[Math.floor(rng.next() * waypoints.length)];
    return new ChannelPool(call.connections, choose, connect);
  }

  const delayRng = stream('delay');
  const up = mesh.dataPlane === 'ambient' ? ctx.halfDelay('ztunnel', 'ztunnel', delayRng) : () => hop;
  const app = appServerOptions(ctx, call.to, stream('conn'), up, up);
  // Ambient: the ztunnels on both nodes run mTLS with the two workloads' certificates (REFERENCE §7 HBONE).
  const tls = mesh.dataPlane === 'ambient' ? mtls(ctx.control.identity, workload, ctx.control.inherits) : undefined;
  const connect = connector(ctx, tls ? () => ({ ...app(), connectDelay: ctx.connectDelay + tls.extraDelay, handshake: tls.handshake }) : app);
  if (call.loadBalancing === 'round_robin') return headlessRoundRobin(endpoints, connect, stream('rr'));
  const l4: L4Choice =
    call.loadBalancing === 'pick_first'
      ? pickFirst(endpoints, stream('dns'))
      : mesh.dataPlane === 'none' && mesh.kubeProxy === 'ipvs'
        ? ctx.ipvs(call.to)
        : randomPerConnection(mesh.dataPlane === 'ambient' ? ctx.view(call.to) : endpoints, stream('l4'));
  // The app's own gRPC channel backs off between failed connects (ztunnel answers the connect itself under ambient).
  const reconnect = mesh.dataPlane === 'none' ? { sim: ctx.sim, rng: stream('connect-backoff') } : undefined;
  return new ChannelPool(call.loadBalancing === 'pick_first' ? 1 : call.connections, () => l4(client.node), connect, reconnect);
}
