// Worker utilization of each pod (busy worker time over workers × measured time), per variant,
// against the service's mean utilization: imbalance shows as bars far from the dashed line.
import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput } from '../observe/types.ts';
import { podBars } from './pod-bars.ts';
import { replicationPhrase } from './theme.ts';

export function podUtilization(output: RunOutput): TopLevelSpec {
  return podBars(output, {
    title: `Utilization per pod by variant (${replicationPhrase(output)})`,
    subtitle: 'dashed line: mean utilization of the service; pods above 1.5× that mean are labelled',
    value: (pod) => pod.utilization,
    reference: (pods) => pods.reduce((sum, p) => sum + p.utilization.mean, 0) / Math.max(1, pods.length),
    referenceName: 'service mean',
    yTitle: 'utilization (%)',
    yDomain: [0, 1],
    hotRatio: 1.5,
  });
}
