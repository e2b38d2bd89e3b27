// pass@k, the unbiased estimator of Chen et al. (2021): the probability that at least one of k samples
// drawn without replacement from n attempts, c of them correct, is correct:
//   pass@k = 1 − C(n−c, k) / C(n, k)
// computed in product form, 1 − ∏_{i=n−c+1}^{n} (1 − k/i), which never builds the huge binomials.

/** Unbiased pass@k for n attempts of which c are correct (1 ≤ k ≤ n). pass@1 is exactly c/n. */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k)) {
    throw new RangeError(`passAtK: n, c and k must be integers (got n=${n}, c=${c}, k=${k})`);
  }
  if (n < 1 || c < 0 || c > n) throw new RangeError(`passAtK: need 0 ≤ c ≤ n and n ≥ 1 (got n=${n}, c=${c})`);
  if (k < 1 || k > n) throw new RangeError(`passAtK: need 1 ≤ k ≤ n (got k=${k}, n=${n})`);
  if (k === 1) return c / n;
  if (n - c < k) return 1; // every draw of k contains a correct attempt
  let allWrong = 1;
  for (let i = n - c + 1; i <= n; i++) allWrong *= 1 - k / i;
  return 1 - allWrong;
}

/** C(n, k) as an exact big integer. */
export function binomial(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  const kk = Math.min(k, n - k);
  let result = 1n;
  for (let i = 1; i <= kk; i++) result = (result * BigInt(n - kk + i)) / BigInt(i);
  return result;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/**
 * a / b for non-negative big integers, correctly rounded to the nearest double (ties to even), as
 * Python's `int / int` is. Plain Number(a) / Number(b) rounds twice once a or b exceeds 2^53.
 */
export function bigRatio(a: bigint, b: bigint): number {
  if (b <= 0n || a < 0n) throw new RangeError("bigRatio: need a ≥ 0 and b > 0");
  if (a === 0n) return 0;
  const safe = BigInt(Number.MAX_SAFE_INTEGER);
  if (a <= safe && b <= safe) return Number(a) / Number(b);
  // Scale so that the integer quotient has 55 or 56 bits, then round to 53 with a sticky remainder bit.
  const shift = bitLength(b) - bitLength(a) + 55;
  const num = shift >= 0 ? a << BigInt(shift) : a;
  const den = shift >= 0 ? b : b << BigInt(-shift);
  let q = num / den;
  const sticky = num % den !== 0n;
  const drop = bitLength(q) - 53;
  const low = q & ((1n << BigInt(drop)) - 1n);
  const half = 1n << BigInt(drop - 1);
  q >>= BigInt(drop);
  if (low > half || (low === half && (sticky || (q & 1n) === 1n))) q += 1n;
  // Number(q) is exact (q ≤ 2^53); scaling by a power of two is exact for the magnitudes used here.
  return Number(q) * 2 ** (drop - shift);
}

/**
 * pass@k exactly as NeMo-Skills computes it (`1 - math.comb(n-c, k) / math.comb(n, k)` with Python's
 * correctly rounded integer division), for `--compat nemo-skills`.
 */
export function passAtKNemoSkills(n: number, c: number, k: number): number {
  const incorrect = n - c;
  if (incorrect < k) return 1;
  return 1 - bigRatio(binomial(incorrect, k), binomial(n, k));
}
