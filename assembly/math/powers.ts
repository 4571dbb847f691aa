// x^ζ for the angular terms (1 + λ cos θ)^ζ: exponentiation by squaring when ζ is a
// non-negative integer (the usual case: 1, 2, 4, 16, …), Math.pow otherwise.

@inline export function powInteger(x: f64, n: i32): f64 {
  let result = 1.0;
  let base = x;
  while (n > 0) {
    if (n & 1) result *= base;
    base *= base;
    n >>= 1;
  }
  return result;
}

/** x^zeta where zetaInt ≥ 0 is zeta as an integer, or −1 when zeta is not one. */
@inline export function powZeta(x: f64, zeta: f64, zetaInt: i32): f64 {
  return zetaInt >= 0 ? powInteger(x, zetaInt) : Math.pow(x, zeta);
}
