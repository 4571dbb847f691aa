import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Many tests start the CLI or worker threads as subprocesses; on a busy 2-core machine
    // they can take longer than vitest's default 5 s without being stuck.
    testTimeout: 30_000,
  },
});
