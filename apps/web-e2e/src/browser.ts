import { accessSync, constants } from 'node:fs';

/** Debian's Chromium (what .ci/run installs); CHROMIUM_PATH points the lookup elsewhere. */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** The command that gives a Debian or Ubuntu machine the browser these specs drive. */
export const INSTALL_CHROMIUM = 'sudo apt-get install -y --no-install-recommends chromium';

/** The Chromium the specs launch (read by the config in the runner and in every worker). */
export function chromiumPath(): string {
  return process.env['CHROMIUM_PATH'] || SYSTEM_CHROMIUM;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes sure a Chromium is there before the live server starts: the configured one, or else the
 * Linux Chromium the @sparticuz/chromium package ships (unpacked once into the temp directory,
 * about 30 s). Its path goes to CHROMIUM_PATH, which the workers inherit. When neither works the
 * run stops here with the one command that fixes it, not deep inside the first spec.
 */
export async function ensureChromium(log: (line: string) => void = console.log): Promise<string> {
  const configured = chromiumPath();
  if (isExecutable(configured)) return configured;
  log(`[e2e] no Chromium at ${configured}: unpacking the one @sparticuz/chromium ships`);
  let provisioned: string;
  try {
    const { default: packaged } = await import('@sparticuz/chromium');
    provisioned = await packaged.executablePath();
    if (!isExecutable(provisioned)) throw new Error(`${provisioned} is not executable`);
  } catch (error) {
    throw new Error(
      `No Chromium for the browser specs: ${configured} is missing and @sparticuz/chromium could not provide one ` +
        `(${error instanceof Error ? error.message : String(error)}). Install it with:\n  ${INSTALL_CHROMIUM}\n` +
        'or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  process.env['CHROMIUM_PATH'] = provisioned;
  log(`[e2e] using ${provisioned}`);
  return provisioned;
}
