import { Server } from '@hocuspocus/server';
import { ready, runMain } from '../harness/worker-io';

/**
 * The second reference: `@hocuspocus/server` 3.4.4 (Tiptap's Yjs server, the last line that runs
 * on Node 20) with its default configuration and no extensions, so documents live in memory only
 * and nothing is authenticated; on a free port that it prints.
 */
runMain(async () => {
  const server = new Server({ port: 0, quiet: true, stopOnSignals: false });
  await server.listen();
  ready(`http://127.0.0.1:${server.address.port}`);
  process.on('SIGTERM', () => process.exit(0));
});
