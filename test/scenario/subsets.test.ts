// Scenario checks for subsets and routes between them: each bad input is refused at its path with a
// message that says what to change; Istio's rule that two or more weights add up to 100 included.
import { describe, expect, it } from 'vitest';
import { type ScenarioInput, scenario } from '../../src/scenario/schema.ts';

const constant = { distribution: 'constant' as const, value: '1ms' };

function base(): ScenarioInput {
  return {
    name: 'canary',
    duration: '10s',
    services: {
      web: { calls: [{ to: 'payments', rate: '10/s', headers: { 'x-canary': { value: 'true', fraction: 0.1 } } }] },
      payments: { pod: { serviceTime: constant }, subsets: { v1: { replicas: 3 }, v2: { replicas: 1 } } },
    },
    routes: {
      payments: {
        match: [{ headers: { 'x-canary': { exact: 'true' } }, route: [{ subset: 'v2' }] }],
        route: [
          { subset: 'v1', weight: 95 },
          { subset: 'v2', weight: 5 },
        ],
      },
    },
  };
}

/** The problems of `input` as "path: message" lines. */
function problems(input: ScenarioInput): string[] {
  const r = scenario.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('good subsets', () => {
  it('the service has the union of its subsets’ pods, and the header fraction defaults to 1', () => {
    const input = base();
    (input.services!.web!.calls![0]!.headers as Record<string, { value: string }>)['x-team'] = { value: 'a' };
    const s = scenario.parse(input);
    expect(s.services.payments?.replicas).toBe(4);
    expect(s.services.web?.replicas).toBe(1);
    expect(s.services.web?.calls[0]?.headers?.['x-team']?.fraction).toBe(1);
  });

  it('`replicas` may repeat the subsets’ total, a single destination needs no weight, and faults may target a subset', () => {
    const input = base();
    input.services!.payments!.replicas = 4;
    input.routes!.payments!.route = [{ subset: 'v1' }];
    input.faults = [{ target: 'payments@v2', errors: { rate: 0.5 } }];
    expect(problems(input)).toEqual([]);
  });
});

describe('bad subsets are refused', () => {
  it('a route to a subset the service does not define', () => {
    const input = base();
    input.routes!.payments!.route = [
      { subset: 'v1', weight: 50 },
      { subset: 'v3', weight: 50 },
    ];
    expect(problems(input)).toEqual(['routes.payments.route.1.subset: "payments" has no subset "v3"']);
  });

  it('a match routing to a service without subsets', () => {
    const input = base();
    input.services!.ledger = { pod: { serviceTime: constant } };
    input.routes!.ledger = { route: [{ subset: 'v1' }] };
    expect(problems(input)).toEqual(['routes.ledger.route.0.subset: "ledger" has no subsets; define them in `services.ledger.subsets`']);
  });

  it('weights of two or more destinations that do not add up to 100, as Istio’s validation refuses them', () => {
    const input = base();
    input.routes!.payments!.route = [
      { subset: 'v1', weight: 90 },
      { subset: 'v2', weight: 30 },
    ];
    input.routes!.payments!.match![0]!.route = [{ subset: 'v1' }, { subset: 'v2' }];
    expect(problems(input)).toEqual([
      'routes.payments.route: total destination weight 120 != 100: with two or more destinations the weights must add up to 100 (as in Istio)',
      'routes.payments.match.0.route: total destination weight 0 != 100: with two or more destinations the weights must add up to 100 (as in Istio)',
    ]);
  });

  it('a weight above 100, an empty match and a header name with capitals', () => {
    const input = base();
    input.routes!.payments!.route = [{ subset: 'v1', weight: 101 }];
    input.routes!.payments!.match = [{ headers: {}, route: [{ subset: 'v2' }] }];
    input.services!.web!.calls![0]!.headers = { 'X-Canary': { value: 'true' } };
    const found = problems(input);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^services\.web\.calls\.0\.headers\.X-Canary: /);
    expect(found.some((p) => p.startsWith('routes.payments.route.0.weight: '))).toBe(true);
    expect(found).toContain('routes.payments.match.0.headers: a match needs at least one header');
  });

  it('`replicas` that disagree with the subsets, and subsets without the service’s pod', () => {
    const input = base();
    input.services!.payments!.replicas = 5;
    expect(problems(input)).toEqual([
      "services.payments.replicas: the pods of a service with subsets are its subsets' pods (4); leave `replicas` out or make it 4",
    ]);
    const noPod = base();
    delete noPod.services!.payments!.pod;
    expect(problems(noPod)).toContain("services.payments.subsets: subsets need the service's `pod`, which their `pod` fields override");
  });

  it('a fault on an unknown subset, and scaling a service that has subsets', () => {
    const input = base();
    input.faults = [{ target: 'payments@v9', errors: { rate: 1 } }];
    input.events = [{ at: '5s', scale: { payments: 8 } }];
    expect(problems(input)).toEqual([
      'faults.0.target: "payments" has no subset "v9"',
      'events.0.scale.payments: "payments" has subsets, each a Deployment of its own; scaling the service as a whole is not modelled',
    ]);
  });
});
