// `npm run bench -- [--smoke] [--only claims,agenda,create,dashboard,scale,bulk,cluster,flow,triage,search,notify] [--scale-max 100000] [--scale-modes memory,data-dir] [--json out.json]`: runs the
// benchmarks on one embedded database and the production build, prints the JSON report, then a
// summary table with each target and PASS or MISS.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { summaryTable } from './lib/report';
import { BENCH_NAMES, runBenchmarks, type BenchName } from './lib/run';
import { SCALE_MODES, type ScaleMode } from './lib/scale.bench';

function parseOnly(value: string | undefined): BenchName[] | undefined {
  if (!value) return undefined;
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(BENCH_NAMES as readonly string[]).includes(name));
  if (unknown.length) throw new Error(`Unknown bench ${unknown.join(', ')}; choose from ${BENCH_NAMES.join(', ')}`);
  return names as BenchName[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      only: { type: 'string' },
      json: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      'scale-max': { type: 'string' },
      'scale-modes': { type: 'string' },
    },
  });
  const scaleMax = values['scale-max'] === undefined ? undefined : Number(values['scale-max']);
  if (scaleMax !== undefined && !(Number.isInteger(scaleMax) && scaleMax >= 100)) throw new Error('--scale-max wants a number of jobs >= 100');
  const scaleModes = values['scale-modes']?.split(',').map((mode) => mode.trim()).filter(Boolean);
  const unknownMode = scaleModes?.find((mode) => !(SCALE_MODES as readonly string[]).includes(mode));
  if (unknownMode !== undefined) throw new Error(`--scale-modes: unknown mode ${unknownMode}; choose from ${SCALE_MODES.join(', ')}`);
  const report = await runBenchmarks({
    smoke: values.smoke,
    only: parseOnly(values.only),
    verbose: values.verbose,
    scaleMax,
    ...(scaleModes?.length ? { scaleModes: scaleModes as ScaleMode[] } : {}),
  });
  const json = JSON.stringify(report, null, 2);
  if (values.json) writeFileSync(resolve(process.env['INIT_CWD'] ?? process.cwd(), values.json), `${json}\n`);
  console.log(json);
  console.log(`\n${summaryTable(report)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
