// Cross-reference checks for the identity story: faults on the CA and the control plane (and service faults, whose
// targets they share), and the traffic resolution — what the flow level does not model, and request windows.
import type { z } from 'zod';
import { controlFaultKinds, faultKinds } from './resilience-schema.ts';
import type { ScenarioBaseOutput } from './schema.ts';
import { parseTarget } from './subset-schema.ts';
import { formatDuration } from './units.ts';

type Base = ScenarioBaseOutput;
type Ctx = z.RefinementCtx;

/** A fault on a service or pod, or on the CA or control plane (`ca`, `control-plane`). */
export function checkFault(s: Base, f: Base['faults'][number], i: number, ctx: Ctx, known: (path: (string | number)[], svc: string) => void): void {
  if ((f.target === 'ca' || f.target === 'control-plane') && !s.services[f.target]) {
    const kinds = faultKinds.filter((k) => f[k] !== undefined);
    if (kinds.length > 0)
      ctx.addIssue({ code: 'custom', path: ['faults', i, kinds[0] as string], message: `\`${kinds[0]}\` applies to a service or pod, not to "${f.target}"` });
    if (f.outage && f.rotateRoot) ctx.addIssue({ code: 'custom', path: ['faults', i], message: 'a fault has either `outage` or `rotateRoot`, not both' });
    else if (!f.outage && !f.rotateRoot)
      ctx.addIssue({
        code: 'custom',
        path: ['faults', i],
        message: `a fault on "${f.target}" needs \`outage: true\`${f.target === 'ca' ? ' or `rotateRoot`' : ''}`,
      });
    if (f.rotateRoot && f.target !== 'ca')
      ctx.addIssue({ code: 'custom', path: ['faults', i, 'rotateRoot'], message: '`rotateRoot` applies to the target `ca`' });
    if (f.rotateRoot && f.for !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['faults', i, 'for'],
        message: 'a root rotation is an instant: drop `for` (its `overlap` says how long both roots are trusted)',
      });
    return;
  }
  for (const k of controlFaultKinds)
    if (f[k] !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['faults', i, k],
        message: `\`${k}\` applies to the target \`ca\`${k === 'outage' ? ' or `control-plane`' : ''}, not to a service`,
      });
  const { service: svc, pod } = parseTarget(f.target);
  const spec = s.services[svc];
  if (!spec) {
    known(['faults', i, 'target'], svc);
    return;
  }
  if (pod !== undefined && Number(pod) >= spec.replicas)
    ctx.addIssue({ code: 'custom', path: ['faults', i, 'target'], message: `"${svc}" has ${spec.replicas} pods (0–${spec.replicas - 1})` });
  const kinds = faultKinds.filter((k) => f[k] !== undefined);
  if (kinds.length === 0 && controlFaultKinds.every((k) => f[k] === undefined))
    ctx.addIssue({
      code: 'custom',
      path: ['faults', i],
      message: 'a fault needs one of `load`, `errors`, `slowdown`, `latency`, `hang`, `crash` or `restart`',
    });
  if (f.load !== undefined && spec.calls.length === 0)
    ctx.addIssue({
      code: 'custom',
      path: ['faults', i, 'load'],
      message: `\`load\` multiplies the open-loop rate of the target's calls, and "${svc}" makes none`,
    });
  if (kinds.some((k) => k !== 'load') && !spec.pod)
    ctx.addIssue({ code: 'custom', path: ['faults', i, 'target'], message: `"${svc}" has no \`pod\` to fault` });
}

/** What the flow level does not model (docs/certificates.md, "Limits"). */
function checkFlows(s: Base, ctx: Ctx): void {
  const no = (path: (string | number)[], what: string) =>
    ctx.addIssue({ code: 'custom', path, message: `${what} is not modelled at the flow level (\`traffic.mode: flows\`); use \`mode: requests\`` });
  if (s.mesh.waypoint) no(['mesh', 'waypoint'], 'an ambient waypoint');
  for (const [svc, spec] of Object.entries(s.services)) {
    spec.calls.forEach((c, i) => {
      if (c.concurrency !== undefined) no(['services', svc, 'calls', i, 'concurrency'], 'a closed loop');
      if (c.loadBalancing) no(['services', svc, 'calls', i, 'loadBalancing'], 'gRPC client-side balancing');
      if (c.serviceConfig) no(['services', svc, 'calls', i, 'serviceConfig'], 'a gRPC service config');
    });
    if (spec.pod && spec.pod.handler.length > 0) no(['services', svc, 'pod', 'handler'], 'a handler with downstream calls');
    if (spec.subsets) no(['services', svc, 'subsets'], 'subsets');
  }
  for (const [svc, r] of Object.entries(s.routes)) if (r.route || r.match) no(['routes', svc, r.route ? 'route' : 'match'], 'subset routing');
  s.faults.forEach((f, i) => {
    for (const k of ['errors', 'slowdown', 'latency', 'hang', 'load'] as const) if (f[k] !== undefined) no(['faults', i, k], `a \`${k}\` fault`);
  });
}

/** The traffic resolution: what the flow level cannot model, and request windows that fit the run. */
export function checkTraffic(s: Base, ctx: Ctx): void {
  if (s.traffic.mode === 'flows') checkFlows(s, ctx);
  else if (s.traffic.requestWindows.length > 0)
    ctx.addIssue({ code: 'custom', path: ['traffic', 'requestWindows'], message: 'request windows belong to a flow-level run (`mode: flows`)' });
  const windows = [...s.traffic.requestWindows].sort((a, b) => a.at - b.at);
  windows.forEach((w, i) => {
    const prev = windows[i - 1];
    if (prev && w.at < prev.at + prev.for) ctx.addIssue({ code: 'custom', path: ['traffic', 'requestWindows'], message: 'request windows must not overlap' });
    if (w.at >= s.duration)
      ctx.addIssue({
        code: 'custom',
        path: ['traffic', 'requestWindows'],
        message: `a request window starts at or after the end of the run (${formatDuration(s.duration)})`,
      });
  });
}
