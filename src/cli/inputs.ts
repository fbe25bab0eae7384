// Reads and validates scenario files for a command. Every file is checked before anything runs, so a
// mistake in the last file never leaves the first one's output half done.
import { readFile } from 'node:fs/promises';
import { checkBudget, formatProblems, loadScenario, type Problem } from '../scenario/index.ts';
import type { Scenario } from '../scenario/schema.ts';
import { InputError } from './errors.ts';

export interface LoadedFile {
  file: string;
  text: string;
  variants: { name: string; scenario: Scenario }[];
}

export interface LoadOptions {
  sets?: string[];
  replications?: number;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: cannot read the file (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code})`);
  }
}

/** Loads every file; throws one InputError listing every problem in every file. */
export async function loadFiles(files: readonly string[], options: LoadOptions = {}): Promise<LoadedFile[]> {
  const loaded: LoadedFile[] = [];
  const reports: string[] = [];
  for (const file of files) {
    const text = await readText(file);
    const result = loadScenario(text, file, { sets: options.sets ?? [] });
    if (!result.ok) {
      reports.push(formatProblems(result.problems, text));
      continue;
    }
    const budgetScenario = options.replications ? { ...result.scenario, replications: options.replications } : result.scenario;
    const budget: Problem | undefined = checkBudget(budgetScenario, result.variants.length);
    if (budget) {
      reports.push(formatProblems([budget], text));
      continue;
    }
    loaded.push({ file, text, variants: result.variants });
  }
  if (reports.length > 0) throw new InputError(reports.join('\n'));
  return loaded;
}
