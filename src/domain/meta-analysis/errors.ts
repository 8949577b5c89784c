/**
 * Thrown when a set of effects cannot be pooled into finite numbers (no studies, a non-positive or
 * non-finite sampling variance, an estimator that does not converge). Callers are expected to check
 * their inputs first; a typed error lets them tell this apart from programming errors.
 */
export class CannotPoolError extends Error {
  override readonly name = 'CannotPoolError';
}
