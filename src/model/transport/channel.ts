// How a client pod's RPCs reach a destination service. Until connections and sidecars exist, the
// only channel picks one of the destination's pods uniformly at random for every request.
import type { Stream } from '../../engine/index.ts';
import type { Pod } from '../pod/pod.ts';
import type { Done, Rpc } from '../rpc.ts';

export interface Channel {
  send(rpc: Rpc, done: Done): void;
}

/** Per-request uniform choice among the destination's pods. */
export function randomPodChannel(pods: readonly Pod[], rng: Stream): Channel {
  const n = pods.length;
  return {
    send(rpc, done) {
      (pods[Math.floor(rng.next() * n)] as Pod).handle(rpc, done);
    },
  };
}
