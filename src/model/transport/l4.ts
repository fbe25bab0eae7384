// Connection-level (L4) balancing: the pod is chosen once, when a connection opens, and every RPC on
// it goes there. kube-proxy iptables and ztunnel pick uniformly at random; IPVS picks round robin,
// one rotation per node (REFERENCE §7; kubernetes.io "Virtual IPs and Service Proxies").
import type { Stream } from '../../engine/index.ts';
import type { Pod } from '../pod/pod.ts';
import type { EndpointSet, Endpoints } from './endpoints.ts';

/** Picks a pod for a new connection from `node`; undefined when the service has none. */
export type L4Choice = (node: number) => Pod | undefined;

export function randomPerConnection(endpoints: Endpoints, rng: Stream): L4Choice {
  return () => {
    const pods = endpoints.current;
    return pods.length === 0 ? undefined : pods[Math.floor(rng.next() * pods.length)];
  };
}

/**
 * Each node's rotation starts at a random point: a real node has handed out connections before the
 * run starts, so nodes are not all at the first pod together.
 */
export function roundRobinPerNode(endpoints: EndpointSet, rng: Stream): L4Choice {
  const next = new Map<number, number>();
  return (node) => {
    const pods = endpoints.current;
    if (pods.length === 0) return undefined;
    const i = next.get(node) ?? Math.floor(rng.next() * pods.length);
    next.set(node, i + 1);
    return pods[i % pods.length];
  };
}
