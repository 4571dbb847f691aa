/** A seeded generator of standard normal numbers (xorshift128+ and Box–Muller), for reproducible runs. */
export class NormalRandom {
  private s0: bigint;
  private s1: bigint;
  private spare: number | null = null;

  constructor(seed: number) {
    // splitmix64 of the seed fills the state.
    let x = BigInt.asUintN(64, BigInt(Math.floor(seed)) + 0x9e3779b97f4a7c15n);
    const next = (): bigint => {
      x = BigInt.asUintN(64, x + 0x9e3779b97f4a7c15n);
      let z = x;
      z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
      z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
      return z ^ (z >> 31n);
    };
    this.s0 = next();
    this.s1 = next();
  }

  /** Uniform in (0, 1). */
  uniform(): number {
    let s1 = this.s0;
    const s0 = this.s1;
    this.s0 = s0;
    s1 = BigInt.asUintN(64, s1 ^ (s1 << 23n));
    this.s1 = s1 ^ s0 ^ (s1 >> 17n) ^ (s0 >> 26n);
    const bits = Number(BigInt.asUintN(64, this.s1 + s0) >> 11n);
    return (bits + 0.5) / 2 ** 53;
  }

  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const t = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(t);
    return r * Math.cos(t);
  }
}
