// Where each loaded scenario came from, so a check made after loading (the event budget, with the
// run's own replications) can still point into the file. Keyed weakly by the scenario and by its
// `services` object, which a shallow copy such as `{ ...scenario, replications: 1 }` keeps.
import { exactPositionOf, type Source } from './locate.ts';
import type { Position } from './problems.ts';
import type { Scenario } from './schema.ts';

/** Where an exact path is in the file (or the `--set` that wrote it), or undefined when neither sets it. */
export type Locator = (path: readonly PropertyKey[]) => Position | undefined;

const origins = new WeakMap<object, Locator>();

export function rememberOrigin(scenario: Scenario, source: Source): void {
  const locator: Locator = (path) => exactPositionOf(source, path);
  origins.set(scenario, locator);
  origins.set(scenario.services, locator);
}

export function originOf(scenario: Scenario): Locator | undefined {
  return origins.get(scenario) ?? origins.get(scenario.services);
}
