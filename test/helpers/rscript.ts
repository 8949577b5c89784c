import { execFile, spawnSync } from 'node:child_process';

/** R's script runner: Debian's `r-base-core` puts it on the PATH, unless RSCRIPT_PATH names one. */
const RSCRIPT = process.env.RSCRIPT_PATH ?? 'Rscript';
const haveR = spawnSync(RSCRIPT, ['--version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
/** CI installs R and sets REQUIRE_R=1, so there a missing R fails rather than skips. */
const required = process.env.REQUIRE_R === '1';

/**
 * Whether an R test runs: when Rscript is there, or when it is required (running it then fails
 * loudly). A skip says why on the console, so that it is not taken for a pass.
 */
export function rTestRuns(testName: string): boolean {
  if (haveR || required) return true;
  console.warn(
    `Skipping ${testName}: no Rscript on the PATH. Install R with ` +
      '`apt-get install --no-install-recommends r-base-core r-cran-readr` (Debian) or set RSCRIPT_PATH; ' +
      'CI sets REQUIRE_R=1 and installs it.',
  );
  return false;
}

/**
 * Runs an R script given as text with `Rscript --vanilla` (no site or user profile, nothing read
 * from the home directory), killed after `timeoutMs`; resolves with its standard output.
 */
export function runR(script: string, args: readonly string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      RSCRIPT,
      ['--vanilla', '-e', script, ...args],
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C.UTF-8' } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`Rscript failed (${error.message}):\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}
