import 'reflect-metadata';
import { afterAll } from 'vitest';
import { killLeftServers } from './server-process.js';

// A test file that failed halfway may not have stopped the servers it started.
afterAll(async () => {
  await killLeftServers();
});
