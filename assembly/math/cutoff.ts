// Cosine cutoff of Behler (2011): f_c(r) = ½ [cos(π r / r_c) + 1] for r ≤ r_c, else 0,
// and its derivative f_c'(r) = −(π / 2 r_c) sin(π r / r_c).

@inline export function cosineCutoff(r: f64, rc: f64): f64 {
  return r < rc ? 0.5 * (Math.cos(Math.PI * r / rc) + 1.0) : 0.0;
}

@inline export function cosineCutoffDerivative(r: f64, rc: f64): f64 {
  return r < rc ? -0.5 * Math.PI / rc * Math.sin(Math.PI * r / rc) : 0.0;
}
