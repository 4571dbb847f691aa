// ACSF parameters of the current acsfCompute call, as pointers into its packed parameter block:
// g2 [η, R_s]·n2 | g3 κ·n3 | g4 [η, ζ, λ]·n4 | g5 [η, ζ, λ]·n5 | distinct G4 η·nu4 | distinct G5 η·nu5,
// and counts n2 n3 n4 n5 nu4 nu5 | G4 η index·n4 | G5 η index·n5.
import { ldi } from '../memory';

export let n2 = 0, n3 = 0, n4 = 0, n5 = 0, nu4 = 0, nu5 = 0;
export let pG2: usize = 0, pG3: usize = 0, pG4: usize = 0, pG5: usize = 0;
export let pEta4: usize = 0, pEta5: usize = 0, pMap4: usize = 0, pMap5: usize = 0;

export function loadParams(params: usize, counts: usize): void {
  n2 = ldi(counts, 0); n3 = ldi(counts, 1); n4 = ldi(counts, 2); n5 = ldi(counts, 3);
  nu4 = ldi(counts, 4); nu5 = ldi(counts, 5);
  pMap4 = counts + 24; pMap5 = pMap4 + (<usize>n4 << 2);
  pG2 = params; pG3 = pG2 + (<usize>(2 * n2) << 3); pG4 = pG3 + (<usize>n3 << 3);
  pG5 = pG4 + (<usize>(3 * n4) << 3); pEta4 = pG5 + (<usize>(3 * n5) << 3); pEta5 = pEta4 + (<usize>nu4 << 3);
}

/** ζ as a non-negative integer, or −1 when it is not one (then Math.pow is used). */
@inline export function zetaAsInteger(zeta: f64): i32 {
  return zeta >= 0 && zeta <= 1024 && Math.floor(zeta) == zeta ? <i32>zeta : -1;
}

/** First sorted place of species s's run (spStart[s] is the end of run s after the sort). */
@inline export function runStart(spStart: usize, s: i32): i32 {
  return s == 0 ? 0 : ldi(spStart, s - 1);
}

/** Feature offset of the G4/G5 block of the species pair p ≤ q: q(q+1)/2 + p blocks in. */
@inline export function pairBlock(angularBase: i32, p: i32, q: i32, nAngular: i32): i32 {
  return angularBase + (((q * (q + 1)) >> 1) + p) * nAngular;
}
