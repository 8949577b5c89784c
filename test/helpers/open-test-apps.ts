// The test apps of the running test file that are still open. Kept apart from the builder, with no
// imports, so that the setup module closing them adds nothing to test files that never build an app.

type Close = () => Promise<void>;

const open = new Set<Close>();

export function trackOpen(close: Close): void {
  open.add(close);
}

export function forgetClosed(close: Close): void {
  open.delete(close);
}

/** Closes every app still open; one that fails to close does not keep the others open. */
export async function closeOpenTestApps(): Promise<void> {
  const closing = [...open];
  open.clear();
  const failures = (await Promise.allSettled(closing.map((close) => close()))).filter(
    (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
  );
  if (failures.length > 0)
    throw new AggregateError(
      failures.map((f) => f.reason),
      `${failures.length} test app(s) failed to close`,
    );
}
