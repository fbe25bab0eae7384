// The published JSON Schema of scenario files, generated from the zod schema (the input side: what
// people write, with units as strings). Editors use it via `# yaml-language-server: $schema=…`;
// `meshsim schema` prints it and scenario.schema.json is a committed copy.
import { z } from 'zod';
import { scenario } from './schema.ts';

export const scenarioSchemaId = 'urn:meshsim:scenario';

export function scenarioJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(scenario, { io: 'input' }) as Record<string, unknown>;
  return {
    $schema,
    $id: scenarioSchemaId,
    title: 'meshsim scenario',
    description: 'A discrete-event simulation of service-mesh gRPC traffic: services, workloads, pods and variants.',
    ...rest,
  };
}
