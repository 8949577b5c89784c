import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the server wrote to stdout and stderr so far. */
  output: () => string;
  /** Resolves with how the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the real server (`src/server.ts`) as a child process on 127.0.0.1, port 0, over the given
 * database file, and resolves once it says where it listens. Rate limits and load shedding are
 * off, as in the other tests, unless `env` sets them; a test that restarts the server over the
 * same file calls this again with the same path.
 */
export async function spawnServer(
  databasePath: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: databasePath,
      LOG_LEVEL: 'info',
      RATE_LIMIT_MAX: '1000000',
      RATE_LIMIT_WRITE_MAX: '1000000',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  return { url, child, output: () => output, exited };
}

/** Ends a server that may still run; resolves once it has exited. */
export async function killServer(server: ServerProcess | undefined, signal: NodeJS.Signals = 'SIGKILL') {
  if (!server) return;
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  await server.exited;
}

export interface RunningServer extends ServerProcess {
  databasePath: string;
  /** Shuts the server down as an operator would (SIGTERM) and removes its database folder. */
  stop: () => Promise<void>;
}

/** Starts the real server over a fresh database file in a folder of its own. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'catalogue-server-'));
  const databasePath = join(dir, 'catalogue.db');
  const server = await spawnServer(databasePath, env);
  return {
    ...server,
    databasePath,
    stop: async () => {
      await killServer(server, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
