/**
 * Strings by UTF-16 code unit, JavaScript's own `<`. For the ASCII the catalogue's ids and
 * vocabulary codes are made of, this is SQLite's BINARY order, so rows sorted here line up with
 * rows a query sorted (src/domain/latest-change.ts compares bytes where text may be any Unicode).
 */
export function codeUnitOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
