// Pods and their identity: a pod is ready only once its proxy holds a certificate — Linkerd's proxy starts its
// listeners and passes readiness after the first certify (REFERENCE §6.2), Istio's sidecar is not ready without its
// SDS secret (§6.1). Each new container (a restart, a crash) has lost its key and asks again. The `identity` gate
// keeps the pod unready meanwhile, so it leaves the endpoints; a proxy with stale endpoints still reaches it and
// fails the handshake (it holds no certificate).
import type { Pod } from '../pod/pod.ts';
import type { IdentityPlane } from './plane.ts';

export class PodIdentities {
  private readonly plane: IdentityPlane | undefined;
  private readonly byName = new Map<string, Pod>();

  constructor(plane: IdentityPlane | undefined) {
    this.plane = plane;
    plane?.onCertified((name) => this.byName.get(name)?.setGate('identity', true));
  }

  /** A pod created at the start (`initial`: it holds a certificate already) or later (it asks for its first). */
  add(pod: Pod, node: number, initial: boolean): void {
    const plane = this.plane;
    if (!plane) return;
    this.byName.set(pod.name, pod);
    plane.add(pod.name, node, initial ? 'initial' : 'fresh');
    if (!plane.hasCertificate(pod.name)) pod.setGate('identity', false);
    pod.onStart(() => {
      plane.restart(pod.name);
      if (!plane.hasCertificate(pod.name)) pod.setGate('identity', false);
    });
    pod.onReadyChange(() => {
      if (!pod.live) plane.retire(pod.name);
    });
  }
}
