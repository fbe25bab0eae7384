// The scenario package: load and validate scenario files, explain what is wrong with them, estimate
// their cost and publish their JSON Schema. Runs anywhere (no Node built-ins).
export { checkBudget, estimateEvents, eventsPerRequest, meanOf } from './budget.ts';
export { scenarioJsonSchema, scenarioSchemaId } from './json-schema.ts';
export { type LoadOptions, type LoadResult, loadScenario, type Variant } from './load.ts';
export { mergePatch } from './merge.ts';
export type { Locator } from './origin.ts';
export { parseSetPath } from './overrides.ts';
export { formatPath, formatProblems, type Position, type Problem, sortProblems } from './problems.ts';
export * from './schema.ts';
export { formatDuration, parseDuration, parseRate } from './units.ts';
