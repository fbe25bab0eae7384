#!/usr/bin/env node
// The meshsim command line (commander). Heavy modules load inside each action so `--help` is quick.
// Exit status: 0 success, 1 internal error, 2 invalid input or arguments.
import { Command, CommanderError, Option } from 'commander';
import { EXIT_INPUT, EXIT_INTERNAL, InputError } from './errors.ts';
import { intOption } from './run.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

const program = new Command()
  .name('meshsim')
  .description('Discrete-event simulator of service-mesh gRPC traffic: run a scenario, get numbers and charts.')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

program
  .command('run')
  .description('run scenarios and write out/<name>/{summary.json,report.html,charts/,data/}')
  .argument('<file...>', 'scenario YAML files')
  .option('-o, --out <dir>', 'output folder', 'out')
  .option('--seed <n>', 'override the scenario seed', intOption('--seed', 0))
  .option('-r, --replications <n>', 'override the number of replications', intOption('--replications', 1))
  .option('-d, --duration <d>', 'override the duration, e.g. 60s')
  .option('-s, --set <path=value>', 'override any field, e.g. services.server.pod.workers=4 (repeatable)', collect, [])
  .option('-j, --jobs <n>', 'run replications on n worker threads (results identical to a serial run)', intOption('--jobs', 1), 1)
  .option('--json', 'print the summary as JSON instead of the table')
  .option('-q, --quiet', 'no progress or messages on stderr')
  .addOption(new Option('--no-charts', 'skip rendering chart images (summary, data and report are still written)'))
  .addHelpText(
    'after',
    `
Examples:
  $ meshsim run scenarios/mmc.yaml
  $ meshsim run scenarios/mm1.yaml --replications 10 --jobs 2
  $ meshsim run scenarios/mmc.yaml --set services.server.pod.workers=10 --duration 60s --json`,
  )
  .action(async (files: string[], options) => {
    const { runCommand } = await import('./run.ts');
    await runCommand(files, options);
  });

program
  .command('validate')
  .description('check scenario files and report every problem with file:line:col')
  .argument('<file...>', 'scenario YAML files')
  .option('-s, --set <path=value>', 'apply an override before checking (repeatable)', collect, [])
  .option('-q, --quiet', 'print nothing when the files are valid')
  .addHelpText('after', '\nExample:\n  $ meshsim validate scenarios/*.yaml')
  .action(async (files: string[], options) => {
    const { validateCommand } = await import('./validate.ts');
    await validateCommand(files, options);
  });

program
  .command('schema')
  .description('print the JSON Schema of scenario files (for editors: # yaml-language-server: $schema=...)')
  .addHelpText('after', '\nExample:\n  $ meshsim schema > scenario.schema.json')
  .action(async () => {
    const { scenarioJsonSchema } = await import('../scenario/index.ts');
    process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  });

program
  .command('showcase')
  .description('run every bundled scenario into out/ and say where the reports are')
  .option('-o, --out <dir>', 'output folder', 'out')
  .option('-j, --jobs <n>', 'worker threads', intOption('--jobs', 1), 1)
  .action(async (options) => {
    const { showcaseCommand } = await import('./showcase.ts');
    await showcaseCommand(options);
  });

program
  .command('bench')
  .description('measure engine and end-to-end speed on this machine')
  .option('--quick', 'smaller sizes (for a smoke test)')
  .action(async (options) => {
    const { benchCommand } = await import('./bench.ts');
    await benchCommand(options);
  });

program.addHelpText('after', '\nExamples:\n  $ meshsim run scenarios/mmc.yaml\n  $ meshsim validate scenarios/*.yaml\n  $ meshsim showcase');

// For benchmarks: record this process's peak memory (KB) when it ends.
if (process.env.MESHSIM_MAXRSS_FILE) {
  const file = process.env.MESHSIM_MAXRSS_FILE;
  const { writeFileSync } = await import('node:fs');
  process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version end here with status 0; usage mistakes were already printed by commander.
    process.exit(e.exitCode === 0 ? 0 : EXIT_INPUT);
  }
  if (e instanceof InputError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(EXIT_INPUT);
  }
  const { RunAborted } = await import('../study/run-one.ts');
  if (e instanceof RunAborted) {
    process.stderr.write(`meshsim: ${e.message}\n`);
    process.exit(EXIT_INPUT);
  }
  process.stderr.write(`meshsim: internal error (a bug in meshsim; please report it with the scenario):\n${(e as Error).stack ?? e}\n`);
  process.exit(EXIT_INTERNAL);
}
