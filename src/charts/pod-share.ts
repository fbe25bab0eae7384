// Share of each service's requests served by each pod, per variant: a balanced service has every
// pod on the dashed fair-share line (1 / pods of the service); a hot pod towers over it.
import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput } from '../observe/types.ts';
import { podBars } from './pod-bars.ts';
import { replicationPhrase } from './theme.ts';

export function podShare(output: RunOutput): TopLevelSpec {
  return podBars(output, {
    title: `Share of requests per pod by variant (${replicationPhrase(output)})`,
    subtitle: 'dashed line: fair share = 1 / pods of the service; pods above 1.5× fair share are labelled',
    value: (pod) => pod.share,
    reference: (pods) => 1 / pods.length,
    referenceName: 'fair share',
    yTitle: 'share of requests (%)',
    hotRatio: 1.5,
  });
}
