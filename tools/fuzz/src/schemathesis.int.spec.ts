// The fast version of `npm run fuzz` inside `npm test`: schemathesis with a few examples per
// operation and a fixed seed, against the live product. The full run is `npm run fuzz`.
import { openApiDocument } from '@event-monitor/rest-adapter';
import { runSchemathesis, SKIPPED_OPERATIONS } from './schemathesis';

const SMOKE_EXAMPLES = 3;

describe('schemathesis over the OpenAPI document (smoke)', () => {
  it('every operation answers without a 5xx and as documented (status, content type, schema)', async () => {
    const result = await runSchemathesis({ maxExamples: SMOKE_EXAMPLES, seed: 8, onOutput: () => undefined });
    const operations = Object.values(openApiDocument().paths).reduce((sum, item) => sum + Object.keys(item).length, 0);
    console.log(
      `[fuzz smoke] ${result.operations.tested}/${result.operations.total} operations, ${result.testCases ?? '?'} test cases, exit ${result.exitCode}`,
    );
    if (result.exitCode !== 0) console.log(result.output.slice(-15_000));
    expect(result.operations.total).toBe(operations);
    expect(result.operations.tested).toBe(operations - Object.keys(SKIPPED_OPERATIONS).length);
    expect(result.exitCode).toBe(0);
  }, 600_000);
});
