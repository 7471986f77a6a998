// What every answer must carry and what no answer or log line may contain.

/** Header -> a part its value must contain (next.config.js sets them for every path). */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

// A stack frame as V8 prints it, raw or inside a JSON log line ("\n    at fn (file.js:1:2)").
const STACK_FRAME = /(?:^|\n|\\n)\s*at (?:async )?[^\n]*?:\d+:\d+\)?/;

/** The first offending excerpt, or null: secrets (tokens, passwords, cookie values) and stack frames. */
export function findLeak(text: string, secrets: readonly string[]): string | null {
  for (const secret of secrets) {
    if (secret.length >= 8 && text.includes(secret)) return `secret ${secret.slice(0, 4)}… found`;
  }
  const frame = STACK_FRAME.exec(text);
  // With the text before the frame (the log line's message), so a failure says who printed it.
  return frame ? `stack frame: ${frame[0].trim().slice(0, 200)} after: ${text.slice(Math.max(0, frame.index - 300), frame.index)}` : null;
}

/** Fails with what leaked and where (server output or answers). */
export function expectNoLeaks(serverOutput: string, secrets: readonly string[], answers: string): void {
  expect({ where: 'server output', leak: findLeak(serverOutput, secrets) }).toEqual({ where: 'server output', leak: null });
  expect({ where: 'answers', leak: findLeak(answers, secrets) }).toEqual({ where: 'answers', leak: null });
}
