// `npm run fuzz` / `node --import tsx tools/fuzz/src/run.ts [--smoke] [--seed N] [--max-examples N]`:
// schemathesis over every REST operation against a live server on 127.0.0.1. Stops by itself.
import { parseArgs } from 'node:util';
import { runSchemathesis, SKIPPED_METHODS, SKIPPED_OPERATIONS } from './schemathesis';

export const SMOKE_EXAMPLES = 3;
export const FULL_EXAMPLES = 200;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      seed: { type: 'string' },
      'max-examples': { type: 'string' },
      workers: { type: 'string' },
    },
  });
  const maxExamples = Number(values['max-examples'] ?? (values.smoke ? SMOKE_EXAMPLES : FULL_EXAMPLES));
  const started = Date.now();
  const result = await runSchemathesis({
    maxExamples,
    seed: values.seed === undefined ? undefined : Number(values.seed),
    workers: values.workers === undefined ? undefined : Number(values.workers),
  });
  const skipped = [...Object.entries(SKIPPED_OPERATIONS), ...Object.entries(SKIPPED_METHODS)];
  console.log(`[fuzz] operations in the JUnit report: ${result.operations.names.join(', ')}`);
  console.log(
    `[fuzz] ${result.operations.tested}/${result.operations.total} operations fuzzed, ` +
      `${result.testCases ?? '?'} test cases, ${maxExamples} max examples each, ` +
      `${Math.round((Date.now() - started) / 1000)} s, exit ${result.exitCode}` +
      (skipped.length ? `; skipped: ${skipped.map(([id, why]) => `${id} (${why})`).join(', ')}` : ''),
  );
  return result.exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[fuzz] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
