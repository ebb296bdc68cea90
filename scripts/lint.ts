import fs from 'node:fs';
import path from 'node:path';

/**
 * Project rules a type checker cannot see:
 *  1. File names are kebab-case.
 *  2. Tests end in `.unit.test.ts` or `.integration.test.ts` (the two vitest projects).
 *  3. Product code never imports a sandbox: sandboxes are test fixtures and demo sources. Only
 *     tests, benchmarks, sandboxes themselves and the demo launcher may import them.
 */
const ROOTS = ['bin', 'platform', 'connectors', 'producers', 'transformers', 'sinks', 'schemas', 'api', 'test', 'bench', 'scripts'];
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*$/;

const problems: string[] = [];

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : walk(full);
    return [full];
  });
}

function mayImportSandboxes(file: string): boolean {
  return (
    file.endsWith('.test.ts') ||
    file.split(path.sep).includes('sandbox') ||
    file.split(path.sep).includes('sandbox-kit') ||
    file.startsWith(`test${path.sep}`) ||
    file.startsWith(`bench${path.sep}`) ||
    file.startsWith(`platform${path.sep}demo${path.sep}`) ||
    file.startsWith(`scripts${path.sep}`)
  );
}

for (const file of ROOTS.flatMap(walk)) {
  const base = path.basename(file);
  if (!file.endsWith('.ts')) continue;
  if (!KEBAB.test(base)) problems.push(`${file}: file names are kebab-case`);
  if (base.endsWith('.test.ts') && !/\.(unit|integration)\.test\.ts$/.test(base)) {
    problems.push(`${file}: tests end in .unit.test.ts or .integration.test.ts`);
  }
  if (mayImportSandboxes(file)) continue;
  const source = fs.readFileSync(file, 'utf8');
  for (const match of source.matchAll(/from\s+['"]([^'"]+)['"]/g)) {
    const target = match[1]!;
    if (/(^|\/)sandbox(-kit)?(\/|$)/.test(target)) {
      problems.push(`${file}: product code imports a sandbox (${target}); sandboxes are for tests, benchmarks and the demo only`);
    }
  }
}

if (problems.length > 0) {
  process.stderr.write(`${problems.join('\n')}\n${problems.length} problem(s)\n`);
  process.exit(1);
}
process.stdout.write('lint: ok\n');
