import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// Scalar's stylesheet, served from our own node_modules (no CDN). Not imported into the bundle:
// Turbopack's CSS parser rejects a selector list in it (`::view-transition-group(` over several
// lines), so the file is read as is and served as a static asset, generated at build time.
export const dynamic = 'force-static';

export async function GET(): Promise<Response> {
  const resolve = createRequire(join(process.cwd(), 'package.json')).resolve;
  const css = await readFile(resolve('@scalar/api-reference-react/style.css'), 'utf8');
  return new Response(css, {
    headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' },
  });
}
