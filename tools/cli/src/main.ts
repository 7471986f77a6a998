import { createInterface } from 'node:readline/promises';
import { runCli } from './lib/program';
import type { CliIo } from './lib/output';

const io: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  interactive: process.stdin.isTTY === true,
  async confirm(question) {
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
    } finally {
      prompt.close();
    }
  },
};

// exitCode rather than exit(): piped output is flushed before the process ends.
void runCli(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
});
