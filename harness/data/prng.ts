/**
 * Deterministic pseudo-random numbers for synthetic data. Same seed ⇒ same
 * sequence on every machine and Node version, which Math.random cannot give.
 *
 * - splitmix64 (Steele, Lea, Flood 2014) expands a seed into a full state;
 *   it is the seeding procedure the xoshiro authors recommend.
 * - xoshiro128** 1.1 (Blackman & Vigna 2018, https://prng.di.unimi.it/) is
 *   the generator: 128-bit state, 32-bit outputs, all in Math.imul / shifts
 *   so it runs at full speed on JS numbers.
 */

const MASK64 = (1n << 64n) - 1n;

/** splitmix64: returns [next state, output]. */
export function splitmix64(state: bigint): [bigint, bigint] {
  const s = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = s;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [s, z ^ (z >> 31n)];
}

export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Seeds from any integer (taken modulo 2^64) through splitmix64. */
  static fromSeed(seed: number | bigint): Xoshiro128 {
    if (typeof seed === "number" && !Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    let st = BigInt.asUintN(64, BigInt(seed));
    let a: bigint;
    let b: bigint;
    [st, a] = splitmix64(st);
    [st, b] = splitmix64(st);
    return new Xoshiro128(Number(a & 0xffffffffn), Number(a >> 32n), Number(b & 0xffffffffn), Number(b >> 32n));
  }

  /** Raw state words; they must not all be zero. */
  constructor(s0: number, s1: number, s2: number, s3: number) {
    if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
    this.s0 = s0 | 0;
    this.s1 = s1 | 0;
    this.s2 = s2 | 0;
    this.s3 = s3 | 0;
  }

  /** Next 32-bit output as an unsigned integer. */
  next(): number {
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform integer in [0, n), n in 1..2^32, without modulo bias. */
  below(n: number): number {
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.next();
      if (x < limit) return x % n;
    }
  }

  /** True with probability ≈ p (p quantised to 1/2^32). */
  chance(p: number): boolean {
    return this.next() < Math.floor(p * 4294967296);
  }
}
