import autocannon from 'autocannon';
import { CHAIN } from './plugin-chain';
import { freePort, startProcess, stopProcess } from './processes';

/**
 * What each plugin of the request chain costs: the chain is rebuilt one step longer at a time in
 * front of the same fixed answer, and each is driven with 32 connections. Run it with
 * `npx tsx bench/plugin-costs.ts [seconds]`; the figures are requests/s, so their drop per step
 * is that step's cost.
 */
const seconds = Number(process.argv[2] ?? 5);
let previous: number | null = null;
for (let steps = 0; steps <= CHAIN.length; steps++) {
  const port = await freePort();
  const server = await startProcess(
    'bench/plugin-chain-server.ts',
    { PORT: String(port), PLUGINS: String(steps), RATE_LIMIT_MAX: '100000000', LOG_LEVEL: 'warn' },
    `http://127.0.0.1:${port}/trials/tr_example`,
  );
  try {
    const result = await autocannon({
      url: `http://127.0.0.1:${port}/trials/tr_example`,
      connections: 32,
      duration: seconds,
    });
    const rps = result.requests.average;
    const step = steps === 0 ? 'bare route' : `+ ${CHAIN[steps - 1]}`;
    const change = previous === null ? null : ((rps - previous) / previous) * 100;
    const cost =
      change === null ? '' : `  (${change > 0 ? '+' : ''}${change.toFixed(0)}% on the step before)`;
    process.stdout.write(`${step.padEnd(40)} ${rps.toFixed(0).padStart(7)} req/s${cost}\n`);
    previous = rps;
  } finally {
    await stopProcess(server);
  }
}
