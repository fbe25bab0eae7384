// Faults of the mesh's control side (REFERENCE §6): a CA outage (nothing signed), a control-plane outage (nothing
// signed, no endpoint or config updates, a reconnect storm on recovery) and a trust-root rotation, with an overlap in
// which both roots are trusted or as an abrupt switch. Shared by the request and flow levels.
import type { Simulation } from '../../engine/index.ts';
import type { FaultSpec, Scenario } from '../../scenario/schema.ts';
import type { ControlPlane } from '../identity/control-plane.ts';
import type { IdentityPlane } from '../identity/plane.ts';

/** True for a fault aimed at the CA or the control plane rather than at a service (when no service has that name). */
export const isControlFault = (f: FaultSpec, scenario: Scenario): boolean =>
  (f.target === 'ca' || f.target === 'control-plane') && !scenario.services[f.target];

export function scheduleIdentityFaults(sim: Simulation, scenario: Scenario, controlPlane: ControlPlane, identity: IdentityPlane | undefined): void {
  for (const f of scenario.faults) {
    if (!isControlFault(f, scenario)) continue;
    const until = f.for === undefined ? Number.POSITIVE_INFINITY : f.at + f.for;
    if (f.outage && f.target === 'control-plane') {
      sim.at(f.at, () => controlPlane.setOutage(true), undefined, true);
      if (until !== Number.POSITIVE_INFINITY) sim.at(until, () => controlPlane.setOutage(false), undefined, true);
    } else if (f.outage) {
      sim.at(f.at, () => identity?.setOutage('ca', true), undefined, true);
      if (until !== Number.POSITIVE_INFINITY) sim.at(until, () => identity?.setOutage('ca', false), undefined, true);
    }
    const rotation = f.rotateRoot;
    if (rotation) sim.at(f.at, () => identity?.rotateRoot(rotation.overlap), undefined, true);
  }
}
