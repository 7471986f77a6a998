import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// Scalar's prebuilt browser bundle (one script: Vue, its CSS, `window.Scalar.createApiReference`),
// served from our own node_modules (no CDN), generated at build time. Not imported into our
// bundle: its ~1,500 modules in Turbopack's module graph made every module id of the app one
// digit longer and grew every route's first load (docs/decisions.md, issue 19).
export const dynamic = 'force-static';

export async function GET(): Promise<Response> {
  const resolve = createRequire(join(process.cwd(), 'package.json')).resolve;
  // The package exports no path to it: dist/index.js and dist/browser/ are siblings.
  const script = await readFile(join(dirname(resolve('@scalar/api-reference')), 'browser', 'standalone.js'), 'utf8');
  return new Response(script, {
    headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' },
  });
}
