import { startService, type Service } from '@cr/demo/processes';

/** A real cloud instance (sync-server/src/main.ts) in its own process, as `npm run cloud` starts it. */
export interface CloudProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** the port it listens on (the one picked when started with port 0); kept across restarts */
  readonly port: number;
  /** the running process (a new one after `restart`) */
  readonly service: Service;
  /** every line it printed on stdout and stderr, across restarts, for a failing test's message */
  readonly lines: string[];
  /** kill -9, as a crash or a lost machine would; resolves once the process is gone */
  kill9(): Promise<void>;
  /** SIGTERM (a clean shutdown); resolves once the process is gone */
  stop(): Promise<void>;
  /** starts it again with the same data directory, flags and port (stopping it first if it still runs) */
  restart(): Promise<void>;
}

export interface CloudProcessOptions {
  dataDir: string;
  /** 0 (the default) picks a free port */
  port?: number;
  /** extra flags, e.g. `['--store', url]` or `['--demo']`; not `--port` or `--data` */
  flags?: string[];
  /** for logs and errors, e.g. `cloud a` */
  name?: string;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  /** what runs: the TypeScript source (the default) or the built `sync-server/dist/main.js` (see buildServices) */
  entry?: string;
}

/** The line main.ts prints on stdout once requests are accepted. */
const LISTENING = /^cloud listening on (https?:\/\/\S+)$/;

const MAX_LINES = 2_000;

/** Starts a cloud and resolves once it printed `cloud listening on …`. */
export async function startCloudProcess(o: CloudProcessOptions): Promise<CloudProcess> {
  const name = o.name ?? 'cloud';
  const lines: string[] = [];
  let port = o.port ?? 0;
  let service: Service;

  const launch = async (): Promise<void> => {
    service = startService({
      name,
      entry: o.entry ?? 'sync-server/src/main.ts',
      args: ['--port', String(port), '--data', o.dataDir, ...(o.flags ?? [])],
      env: o.env,
      ready: [LISTENING],
      readyTimeoutMs: o.readyTimeoutMs ?? 30_000,
      onLine: (line) => {
        lines.push(line);
        if (lines.length > MAX_LINES) lines.shift();
      },
    });
    let url: string;
    try {
      url = (await service.ready)[0]![1]!;
    } catch (err) {
      await service.kill();
      throw new Error(`${(err as Error).message}; its last lines:\n${lines.slice(-30).join('\n')}`, { cause: err });
    }
    port = Number(new URL(url).port);
  };

  await launch();
  const running = (): boolean => service.child.exitCode === null && service.child.signalCode === null;
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get service() {
      return service;
    },
    lines,
    kill9: async () => void (await service.kill()),
    stop: async () => void (await service.stop()),
    async restart() {
      if (running()) await service.stop();
      await launch();
    },
  };
}
