import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const PRISM = fileURLToPath(
  new URL('../../node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url),
);
const DOCUMENT = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url));

export interface PrismProxy {
  url: string;
  /** What Prism logged so far (the end of it), violations included. */
  output: () => string;
  stop: () => Promise<void>;
}

/** A port free on 127.0.0.1 just now (the OS picks it), for a child process that cannot take port 0. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Stoplight Prism's validating proxy in front of `upstream`, on 127.0.0.1, checking every request
 * and answer against openapi/openapi.json. With `--errors`, a request that breaks the document is
 * answered 422 by Prism itself (never forwarded), an answer that breaks it 500; either way, and for
 * lesser violations too, Prism adds an `sl-violations` header.
 */
export async function startPrismProxy(upstream: string, document = DOCUMENT): Promise<PrismProxy> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [PRISM, 'proxy', document, upstream, '--errors', '--host', '127.0.0.1', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
  );
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-200_000);
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`Prism exited before listening:\n${output}`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, output: () => output, stop: () => stopChild(child, exited) };
}
