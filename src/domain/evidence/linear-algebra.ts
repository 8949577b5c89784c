/**
 * The little dense linear algebra a meta-regression needs: p × p systems (p is the number of model
 * terms, a handful), never k × k ones, so that a regression over many studies stays linear in k.
 */
export class Matrix {
  private readonly values: Float64Array;

  constructor(
    readonly rows: number,
    readonly cols: number,
  ) {
    this.values = new Float64Array(rows * cols);
  }

  get(i: number, j: number): number {
    return this.values[i * this.cols + j] ?? Number.NaN;
  }

  set(i: number, j: number, value: number): void {
    this.values[i * this.cols + j] = value;
  }

  add(i: number, j: number, value: number): void {
    this.values[i * this.cols + j] = this.get(i, j) + value;
  }
}

/** A vector's i-th element; the arrays here are dense, so a hole is a bug worth a NaN, not a throw. */
export const at = (v: ArrayLike<number>, i: number): number => v[i] ?? Number.NaN;

/** X′ diag(w) X for a k × p design given as rows, and X′ diag(w) y beside it. */
export function weightedCrossProducts(
  design: readonly (readonly number[])[],
  weights: readonly number[],
  y: readonly number[],
): { xtwx: Matrix; xtwy: number[] } {
  const p = design[0]?.length ?? 0;
  const xtwx = new Matrix(p, p);
  const xtwy = new Array<number>(p).fill(0);
  design.forEach((x, i) => {
    const w = at(weights, i);
    for (let a = 0; a < p; a++) {
      const wxa = w * at(x, a);
      xtwy[a] = at(xtwy, a) + wxa * at(y, i);
      for (let b = 0; b < p; b++) xtwx.add(a, b, wxa * at(x, b));
    }
  });
  return { xtwx, xtwy };
}

/** The inverse of a symmetric positive-definite matrix through its Cholesky factor; null when singular. */
export function invertSpd(m: Matrix): Matrix | null {
  const n = m.rows;
  const l = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = m.get(i, j);
      for (let k = 0; k < j; k++) sum -= l.get(i, k) * l.get(j, k);
      if (i === j) {
        // Relative to the diagonal, so a badly scaled but regular matrix is not taken for a singular one.
        if (!(sum > 1e-12 * Math.abs(m.get(i, i)))) return null;
        l.set(i, i, Math.sqrt(sum));
      } else l.set(i, j, sum / l.get(j, j));
    }
  }
  // L⁻¹ (lower triangular), then A⁻¹ = L⁻ᵀ L⁻¹.
  const li = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    li.set(i, i, 1 / l.get(i, i));
    for (let j = 0; j < i; j++) {
      let sum = 0;
      for (let k = j; k < i; k++) sum -= l.get(i, k) * li.get(k, j);
      li.set(i, j, sum / l.get(i, i));
    }
  }
  const inverse = new Matrix(n, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = Math.max(i, j); k < n; k++) sum += li.get(k, i) * li.get(k, j);
      inverse.set(i, j, sum);
    }
  return inverse;
}

export function multiply(a: Matrix, b: Matrix): Matrix {
  const out = new Matrix(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let k = 0; k < a.cols; k++) {
      const aik = a.get(i, k);
      for (let j = 0; j < b.cols; j++) out.add(i, j, aik * b.get(k, j));
    }
  return out;
}

export function multiplyVector(a: Matrix, v: readonly number[]): number[] {
  return Array.from({ length: a.rows }, (_, i) => {
    let sum = 0;
    for (let j = 0; j < a.cols; j++) sum += a.get(i, j) * at(v, j);
    return sum;
  });
}

export function trace(a: Matrix): number {
  let sum = 0;
  for (let i = 0; i < Math.min(a.rows, a.cols); i++) sum += a.get(i, i);
  return sum;
}

/** The square sub-matrix on the given rows and columns. */
export function subMatrix(a: Matrix, indices: readonly number[]): Matrix {
  const out = new Matrix(indices.length, indices.length);
  indices.forEach((i, r) => {
    indices.forEach((j, c) => {
      out.set(r, c, a.get(i, j));
    });
  });
  return out;
}
