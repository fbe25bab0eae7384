// Worker utilization of each pod (busy worker time over workers × measured time), busiest first,
// per variant, against the service's mean utilization: imbalance shows as bars far from the line.
import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput } from '../observe/types.ts';
import { podBars } from './pod-bars.ts';
import { replicationPhrase } from './theme.ts';

export function podUtilization(output: RunOutput): TopLevelSpec {
  return podBars(output, {
    title: `Utilization per pod, busiest first, by variant (${replicationPhrase(output)})`,
    subtitle: 'pods ranked by utilization within each replication; dashed: mean utilization of the service; pods above 1.5× it are labelled',
    value: (row) => row.utilization,
    reference: 'service-mean',
    referenceName: 'service mean',
    rankedBy: 'utilization',
    yTitle: 'utilization (%)',
    yDomain: [0, 1],
    hotRatio: 1.5,
  });
}
