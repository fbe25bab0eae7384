// Share of each service's requests served by each pod, busiest first, per variant: a balanced
// service has every bar on the dashed fair-share line; behind an L4 balancer a few pods tower over
// it while the rest sit idle at zero.
import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput } from '../observe/types.ts';
import { sig } from './numbers.ts';
import { podBars } from './pod-bars.ts';
import { replicationPhrase } from './theme.ts';

export function podShare(output: RunOutput): TopLevelSpec {
  const idle = output.summary.variants.some((v) => v.metrics.idlePodFraction.mean > 0);
  return podBars(output, {
    title: `Share of requests per pod, busiest first, by variant (${replicationPhrase(output)})`,
    subtitle: [
      'pods ranked by share within each replication; dashed: fair share (each live pod an equal part of the requests)',
      `pods above 1.5× fair share are labelled${idle ? '; idle: pods that served under 1% of a fair share' : ''}`,
    ],
    value: (row) => row.share,
    reference: 'fair-share',
    referenceName: 'fair share',
    rankedBy: 'share',
    yTitle: 'share of requests (%)',
    hotRatio: 1.5,
    stepNote: 'the fair share steps down where pods existed for only part of the run (added by a scale-out)',
    ...(idle ? { note: (v) => `idle pods ${sig(100 * v.metrics.idlePodFraction.mean, 2)}%` } : {}),
  });
}
