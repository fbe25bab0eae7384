// Scenario vocabulary for resilience: a pod's handler (call graph), routes with their timeouts and
// retries (Istio VirtualService, Linkerd ServiceProfile and 2.16+ annotations), gRPC service config
// on a call (retry, hedging, throttling), circuit breakers, and faults. REFERENCE §2.5, §3, §4, §5.
import { z } from 'zod';
import { duration } from './schema-units.ts';
import { matchRule, routeDestination } from './subset-schema.ts';

export const grpcStatusNames = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;
export const grpcStatus = z.enum(grpcStatusNames);

const multiplier = z
  .string()
  .regex(/^\d+(\.\d+)?x$/, 'expected a multiplier such as "2x" or "0.5x"')
  .transform((s) => Number(s.slice(0, -1)));

const plusDuration = z
  .string()
  .regex(/^\+/, 'expected an added latency such as "+50ms"')
  .pipe(
    z
      .string()
      .transform((s) => s.slice(1))
      .pipe(duration),
  );

export const serviceConfig = z
  .strictObject({
    retryPolicy: z
      .strictObject({
        maxAttempts: z.int().min(2).describe('Attempts in all, first included; values over 5 are clamped to 5 (gRPC client cap).'),
        initialBackoff: duration.refine((d) => d > 0, 'initialBackoff must be longer than 0s'),
        maxBackoff: duration,
        backoffMultiplier: z.number().positive(),
        retryableStatusCodes: z.array(grpcStatus).min(1),
        jitter: z.enum(['plusMinus20', 'full']).default('plusMinus20').describe('gRFC A6 today: ±20 %; older text: full jitter.'),
      })
      .optional(),
    hedgingPolicy: z
      .strictObject({
        maxAttempts: z.int().min(2),
        hedgingDelay: duration.prefault('0s'),
        nonFatalStatusCodes: z.array(grpcStatus).default([]),
      })
      .optional(),
    retryThrottling: z
      .strictObject({ maxTokens: z.number().gt(0).max(1000), tokenRatio: z.number().min(0.001, 'tokenRatio is kept to 3 decimals: at least 0.001') })
      .optional(),
  })
  .refine((c) => !(c.retryPolicy && c.hedgingPolicy), { message: 'a method has either a retryPolicy or a hedgingPolicy, not both' });
export type ServiceConfigSpec = z.output<typeof serviceConfig>;

export const handlerCall = z.strictObject({
  to: z.string().describe('Destination service.'),
  method: z.string().default('meshsim.Service/Call'),
  probability: z.number().min(0).max(1).default(1).describe('Fraction of requests that make this call.'),
  deadline: duration.optional().describe("The call's own deadline."),
  propagateDeadline: z.boolean().default(true).describe("Inherit the caller's remaining deadline and cancellation (gRPC context passing)."),
  onError: z
    .union([z.enum(['propagate', 'ignore']), grpcStatus])
    .default('propagate')
    .describe('A failed call fails the handler with the same status, is ignored, or fails it with the given status.'),
  connections: z.int().min(1).max(1000).default(1),
  loadBalancing: z.enum(['pick_first', 'round_robin']).optional(),
  serviceConfig: serviceConfig.optional(),
});
export type HandlerCallSpec = z.output<typeof handlerCall>;

export const handlerStep = z.union([
  z.strictObject({ call: handlerCall }),
  z.strictObject({ parallel: z.array(z.strictObject({ call: handlerCall })).min(1) }),
]);
export type HandlerStepSpec = z.output<typeof handlerStep>;

export const route = z.strictObject({
  match: z
    .array(matchRule)
    .optional()
    .describe('Header matches, tried in order before `route`: the first rule that matches decides (Istio VirtualService http match).'),
  route: z
    .array(routeDestination)
    .min(1)
    .optional()
    .describe('Split between subsets for requests no `match` rule took, e.g. `[{ subset: v1, weight: 95 }, { subset: v2, weight: 5 }]`.'),
  timeout: duration.optional().describe('Route timeout spanning every attempt and back-off (Istio: none by default).'),
  retries: z
    .strictObject({
      attempts: z.int().min(0).max(100).describe('Retries allowed (Istio counts retries: 2 means up to 3 tries); 0 disables.'),
      perTryTimeout: duration.optional(),
      retryOn: z.string().default('connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes'),
      retryRemoteLocalities: z.boolean().default(false),
      backoff: duration
        .refine((d) => d > 0, 'backoff must be longer than 0s')
        .optional()
        .describe("Base interval of Envoy's back-off (default 25ms)."),
    })
    .optional()
    .describe("Istio HTTPRetry; when a route has none, Istio's default policy applies (2 retries)."),
  isRetryable: z.boolean().optional().describe('Linkerd ServiceProfile route: retry failures, limited by the retry budget only.'),
  retryBudget: z
    .strictObject({
      retryRatio: z.number().min(0).max(1000).default(0.2),
      minRetriesPerSecond: z.int().min(0).default(10),
      ttl: duration.refine((d) => d >= 1 && d <= 60, 'ttl must be between 1s and 60s').prefault('10s'),
    })
    .optional()
    .describe('Linkerd ServiceProfile retry budget.'),
  linkerdRetries: z
    .strictObject({
      limit: z.int().min(0).default(1),
      timeout: duration.optional(),
      http: z.string().optional(),
      grpc: z.string().optional(),
    })
    .optional()
    .describe('Linkerd 2.16+ retry annotations (retry.linkerd.io/*); ignored when a ServiceProfile route is retryable.'),
});
export type RouteSpec = z.output<typeof route>;

export const fault = z.strictObject({
  at: duration.prefault('0s'),
  for: duration.optional().describe('Omitted: until the end of the run.'),
  target: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*(\/\d+|@[a-z0-9][a-z0-9._-]*)?$/, 'expected a service, a pod or a subset, e.g. "payments", "payments/0" or "payments@v2"')
    .describe("A service (all its pods), one pod (`payments/0`) or one subset's pods (`payments@v2`)."),
  load: multiplier.optional().describe("Multiplies the open-loop rate of the target's calls."),
  errors: z
    .strictObject({
      rate: z.number().min(0).max(1),
      status: grpcStatus.default('UNAVAILABLE'),
      in: z.enum(['headers', 'trailers']).default('headers'),
      pushback: z
        .union([duration, z.literal('stop')])
        .optional()
        .describe('grpc-retry-pushback-ms on the failures: retry after exactly this long, or "stop" (do not retry).'),
    })
    .optional(),
  slowdown: multiplier.optional(),
  latency: plusDuration.optional(),
  hang: z.boolean().optional().describe('Accepts requests and never answers.'),
  crash: z.strictObject({ restartAfter: duration.optional() }).optional().describe('In-flight work is lost, connections close; refused until restarted.'),
  restart: z
    .union([
      z.literal('all'),
      z.strictObject({
        rolling: z
          .strictObject({
            minReadySeconds: z
              .int({ error: 'expected whole seconds (minReadySeconds)' })
              .min(0)
              .max(86_400)
              .default(0)
              .describe('Seconds a restarted pod must have been ready before the next one restarts (Kubernetes minReadySeconds).'),
          })
          .prefault({}),
      }),
    ])
    .optional()
    .describe(
      'The kubelet kills and restarts the containers: `all` at once, or `{ rolling: {} }` one pod at a time from the highest index, each after the previous is ready again. `for` only sets the shaded window in charts.',
    ),
  outage: z
    .literal(true)
    .optional()
    .describe('With target `ca`: the CA signs nothing; with `control-plane`: no signing, no endpoint or config updates (REFERENCE §6).'),
  rotateRoot: z
    .strictObject({
      overlap: duration.prefault('0s').describe('Both roots are trusted this long, then only the new one; 0s is an abrupt switch.'),
    })
    .optional()
    .describe('With target `ca`: a new trust root (and issuer) signs from now on.'),
});
export type FaultSpec = z.output<typeof fault>;

/** The kinds of fault, in the order their names are joined (`errors+slowdown`). */
export const faultKinds = ['load', 'errors', 'slowdown', 'latency', 'hang', 'crash', 'restart'] as const;
/** Faults of the CA and the control plane (targets `ca`, `control-plane`). */
export const controlFaultKinds = ['outage', 'rotateRoot'] as const;
