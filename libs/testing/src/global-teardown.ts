export default async function globalTeardown(): Promise<void> {
  await globalThis.__EVENT_MONITOR_TEST_DB__?.stop();
  globalThis.__EVENT_MONITOR_TEST_DB__ = undefined;
}
