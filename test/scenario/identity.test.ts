// Scenario checks for the identity story: faults on the CA and the control plane, the traffic resolution, and the
// window sized to the run. Each bad input is refused at its path with a message that says what to change.
import { describe, expect, it } from 'vitest';
import { defaultWindow, type ScenarioInput, scenario } from '../../src/scenario/schema.ts';

const constant = { distribution: 'constant' as const, value: '1ms' };

function base(extra: Partial<ScenarioInput> = {}): ScenarioInput {
  return {
    name: 'certs',
    duration: '72h',
    mesh: { dataPlane: 'sidecar' },
    services: {
      web: { calls: [{ to: 'payments', rate: '10/s' }] },
      payments: { pod: { serviceTime: constant } },
    },
    ...extra,
  };
}

/** The problems of `input` as "path: message" lines. */
function problems(input: ScenarioInput): string[] {
  const r = scenario.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('identity defaults', () => {
  it('the mesh profile defaults: 24 h certificates, Istio 0.5 ± 0.01 every 5 min, Linkerd 70 % in [10 s, 24 h], 20 s allowance', () => {
    const s = scenario.parse(base());
    expect(s.identity.certTtl).toBe(86_400);
    expect(s.identity.istio).toEqual({ gracePeriodRatio: 0.5, gracePeriodRatioJitter: 0.01, rotationCheckInterval: 300 });
    expect(s.identity.linkerd).toEqual({ refreshRatio: 0.7, minRefresh: 10, maxRefresh: 86_400, clockSkewAllowance: 20 });
    expect(s.traffic).toEqual({ mode: 'requests', requestWindows: [] });
  });

  it('windows are sized to the run: 1 s up to 1000 s, 5 min over three days, a window given is kept', () => {
    expect(defaultWindow(600)).toBe(1);
    expect(defaultWindow(1000)).toBe(1);
    expect(defaultWindow(2400)).toBe(5);
    expect(defaultWindow(72 * 3600)).toBe(300);
    expect(scenario.parse(base()).window).toBe(300);
    expect(scenario.parse(base({ window: '1m' })).window).toBe(60);
  });
});

describe('bad identity input', () => {
  it('an outage or a root rotation belongs to the CA or the control plane', () => {
    expect(problems(base({ faults: [{ target: 'payments', outage: true }] }))).toEqual([
      'faults.0.outage: `outage` applies to the target `ca` or `control-plane`, not to a service',
    ]);
    expect(problems(base({ faults: [{ target: 'control-plane', rotateRoot: { overlap: '1h' } }] }))).toEqual([
      'faults.0.rotateRoot: `rotateRoot` applies to the target `ca`',
    ]);
    expect(problems(base({ faults: [{ target: 'ca', slowdown: '2x' }] }))).toEqual([
      'faults.0.slowdown: `slowdown` applies to a service or pod, not to "ca"',
      'faults.0: a fault on "ca" needs `outage: true` or `rotateRoot`',
    ]);
    expect(problems(base({ faults: [{ target: 'ca', for: '1h', rotateRoot: {} }] }))).toEqual([
      'faults.0.for: a root rotation is an instant: drop `for` (its `overlap` says how long both roots are trusted)',
    ]);
  });

  it('a service named "ca" keeps its own faults', () => {
    const input = base({ faults: [{ target: 'ca', slowdown: '2x' }] });
    input.services = { ...input.services, ca: { pod: { serviceTime: constant } } };
    expect(problems(input)).toEqual([]);
  });

  it('the flow level refuses what it does not model, and request windows need it', () => {
    const closed = base({ traffic: { mode: 'flows' } });
    closed.services = { ...closed.services, web: { calls: [{ to: 'payments', concurrency: 4 }] } };
    expect(problems(closed)).toEqual([
      'services.web.calls.0.concurrency: a closed loop is not modelled at the flow level (`traffic.mode: flows`); use `mode: requests`',
    ]);
    expect(problems(base({ traffic: { requestWindows: [{ at: '1h', for: '5m' }] } }))).toEqual([
      'traffic.requestWindows: request windows belong to a flow-level run (`mode: flows`)',
    ]);
    expect(
      problems(
        base({
          traffic: {
            mode: 'flows',
            requestWindows: [
              { at: '1h', for: '1h' },
              { at: '90m', for: '5m' },
            ],
          },
        }),
      ),
    ).toEqual(['traffic.requestWindows: request windows must not overlap']);
  });

  it('Istio’s ratio ± jitter stays within [0, 1]', () => {
    expect(problems(base({ identity: { istio: { gracePeriodRatio: 0.9, gracePeriodRatioJitter: 0.2 } } }))).toEqual([
      'identity.istio: gracePeriodRatio ± gracePeriodRatioJitter must stay within [0, 1]',
    ]);
  });
});
