// Cross-reference checks for subsets and routes between them: a route names subsets its service
// defines, a split's weights add up to 100 as Istio's validation requires (`total destination weight
// 120 != 100`, istio/istio pkg/config/validation), fault targets name real subsets, and services with
// subsets are not scaled as a whole.
import type { z } from 'zod';
import type { RouteDestinationSpec } from './subset-schema.ts';
import { parseTarget } from './subset-schema.ts';

type Path = (string | number)[];

interface Checked {
  services: Record<string, { subsets?: Record<string, unknown> | undefined }>;
  routes: Record<string, { route?: RouteDestinationSpec[] | undefined; match?: { route: RouteDestinationSpec[] }[] | undefined }>;
  faults: { target: string }[];
  events: { scale: Record<string, number> }[];
}

export function checkSubsets(s: Checked, ctx: z.RefinementCtx): void {
  const issue = (path: Path, message: string, params?: Record<string, unknown>) => ctx.addIssue({ code: 'custom', path, message, params });
  const destinations = (svc: string, list: RouteDestinationSpec[], path: Path) => {
    const defined = Object.keys(s.services[svc]?.subsets ?? {});
    list.forEach((d, i) => {
      if (!defined.includes(d.subset))
        issue(
          [...path, i, 'subset'],
          defined.length === 0 ? `"${svc}" has no subsets; define them in \`services.${svc}.subsets\`` : `"${svc}" has no subset "${d.subset}"`,
          { unknownReference: d.subset, candidates: defined },
        );
    });
    if (list.length > 1) {
      const total = list.reduce((n, d) => n + (d.weight ?? 0), 0);
      if (total !== 100) issue(path, `total destination weight ${total} != 100: with two or more destinations the weights must add up to 100 (as in Istio)`);
    }
  };
  for (const [svc, r] of Object.entries(s.routes)) {
    if (!s.services[svc]) continue;
    if (r.route) destinations(svc, r.route, ['routes', svc, 'route']);
    for (const [i, m] of (r.match ?? []).entries()) destinations(svc, m.route, ['routes', svc, 'match', i, 'route']);
  }
  s.faults.forEach((f, i) => {
    const { service, subset } = parseTarget(f.target);
    const spec = s.services[service];
    if (!spec || subset === undefined) return;
    const defined = Object.keys(spec.subsets ?? {});
    if (!defined.includes(subset))
      issue(['faults', i, 'target'], defined.length === 0 ? `"${service}" has no subsets` : `"${service}" has no subset "${subset}"`, {
        unknownReference: subset,
        candidates: defined,
      });
  });
  s.events.forEach((e, i) => {
    for (const svc of Object.keys(e.scale))
      if (s.services[svc]?.subsets)
        issue(['events', i, 'scale', svc], `"${svc}" has subsets, each a Deployment of its own; scaling the service as a whole is not modelled`);
  });
}
