// A service's pods by subset: each subset (a Deployment of its own, Istio DestinationRule subsets)
// takes the next block of pod indices in the order the scenario lists them, and its pod settings are
// the service's with the subset's `pod` fields laid over them.
import type { PodSpec, ServiceSpec } from '../scenario/schema.ts';

export interface SubsetLayout {
  name: string | undefined;
  /** First pod index of the subset, and one past its last. */
  from: number;
  to: number;
  pod: PodSpec;
}

/** The blocks of pods of a serving service: one per subset, or one unnamed block without subsets. */
export function subsetLayout(svc: ServiceSpec & { pod: PodSpec }): SubsetLayout[] {
  if (!svc.subsets) return [{ name: undefined, from: 0, to: Number.POSITIVE_INFINITY, pod: svc.pod }];
  let from = 0;
  return Object.entries(svc.subsets).map(([name, s]) => {
    const own = Object.fromEntries(Object.entries(s.pod ?? {}).filter(([, v]) => v !== undefined));
    const block = { name, from, to: from + s.replicas, pod: { ...svc.pod, ...own } as PodSpec };
    from += s.replicas;
    return block;
  });
}

/** The block pod `index` belongs to (pods created later by scaling belong to the last). */
export function subsetOf(layout: readonly SubsetLayout[], index: number): SubsetLayout {
  return layout.find((b) => index < b.to) ?? (layout[layout.length - 1] as SubsetLayout);
}
