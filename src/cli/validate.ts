// `meshsim validate`: check scenario files without running them.
import { loadFiles } from './inputs.ts';

export async function validateCommand(files: string[], options: { set: string[]; quiet?: boolean }): Promise<void> {
  const loaded = await loadFiles(files, { sets: options.set });
  if (!options.quiet) {
    for (const f of loaded) {
      const names = f.variants.map((v) => v.name).join(', ');
      process.stdout.write(`${f.file}: ok (${f.variants.length} variant${f.variants.length === 1 ? '' : 's'}: ${names})\n`);
    }
  }
}
