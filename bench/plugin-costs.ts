import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { CHAIN } from './plugin-chain';
import { freePort, startProcess, stopProcess } from './processes';

/**
 * What each plugin of the request chain costs: the chain is rebuilt one step longer at a time in
 * front of the same fixed answer, and each is driven with 32 connections. Run it with
 * `npx tsx bench/plugin-costs.ts [seconds]`. Requests/s move with whatever else the machine runs
 * (and the load generator shares it), so each step also reports the server's own CPU time per
 * request, read from /proc: that figure hardly moves with other load, and its rise per step is
 * the step's cost.
 */
const seconds = Number(process.argv[2] ?? 5);

/** User plus system CPU time of a process so far, in microseconds (Linux: /proc/<pid>/stat). */
function cpuMicros(pid: number): number {
  // The command name may hold spaces: the fields counted from after its closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks / 100) * 1e6;
}

let previous: { rps: number; cpu: number } | null = null;
for (let steps = 0; steps <= CHAIN.length; steps++) {
  const port = await freePort();
  const server = await startProcess(
    'bench/plugin-chain-server.ts',
    { PORT: String(port), PLUGINS: String(steps), RATE_LIMIT_MAX: '100000000', LOG_LEVEL: 'warn' },
    `http://127.0.0.1:${port}/trials/tr_example`,
  );
  try {
    const url = `http://127.0.0.1:${port}/trials/tr_example`;
    // A short warm-up, so the JIT's first compilations are not charged to the step.
    await autocannon({ url, connections: 32, duration: 1 });
    const before = cpuMicros(server.pid as number);
    const result = await autocannon({ url, connections: 32, duration: seconds });
    const cpu = (cpuMicros(server.pid as number) - before) / result.requests.total;
    const rps = result.requests.average;
    const step = steps === 0 ? 'bare route' : `+ ${CHAIN[steps - 1]}`;
    const change = (now: number, then: number | undefined) =>
      then === undefined ? '' : `${now > then ? '+' : ''}${(((now - then) / then) * 100).toFixed(0)}%`;
    process.stdout.write(
      `${step.padEnd(40)} ${rps.toFixed(0).padStart(7)} req/s ${change(rps, previous?.rps).padStart(5)}` +
        `   ${cpu.toFixed(1).padStart(6)} µs CPU/request ${change(cpu, previous?.cpu).padStart(5)}\n`,
    );
    previous = { rps, cpu };
  } finally {
    await stopProcess(server);
  }
}
