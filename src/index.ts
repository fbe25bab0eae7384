// meshsim as a library: load a scenario, run its study, and (in Node) write its outputs.
//
//   import { loadScenario, runScenario } from 'meshsim';
//   const loaded = loadScenario(text, 'my.yaml');
//   if (loaded.ok) { const { summary } = await runScenario(loaded.variants, { replications: 3 }); }
export type { Figure, RunOutput, Summary, Tables } from './observe/types.ts';
export { writeRunOutput } from './report/index.ts';
export { formatProblems, loadScenario, type Problem } from './scenario/index.ts';
export type { Scenario, ScenarioInput } from './scenario/schema.ts';
export { runStudy as runScenario, type StudyOptions, type StudyResult } from './study/study.ts';
