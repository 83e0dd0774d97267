// The trainer's seeded random source: xoshiro128** (Blackman & Vigna 2018), 128 bits of state held
// in four uint32 words, so the exact stream can be saved in a checkpoint and resumed.
// Every random draw of a run (latents, DiffAugment, data order seeds) comes from one of these,
// never from Math.random or tfjs's global seed, which is what makes `--seed` reproducible.

/** Serializable RNG state: four uint32 words. */
export type RngState = [number, number, number, number];

/** splitmix32 step: turns one 32-bit seed into well-mixed words for the initial state. */
function splitmix32(x: number): [number, number] {
  x = (x + 0x9e3779b9) >>> 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return [x, (z ^ (z >>> 16)) >>> 0];
}

export class Rng {
  private s: Uint32Array;

  /** Seeds from an integer (any JS number is reduced to 32 bits), or restores a saved state. */
  constructor(seedOrState: number | RngState) {
    this.s = new Uint32Array(4);
    if (typeof seedOrState === 'number') {
      let x = (Math.floor(seedOrState) ^ 0x5eed1234) >>> 0;
      for (let i = 0; i < 4; i++) {
        const [nx, w] = splitmix32(x);
        x = nx;
        this.s[i] = w;
      }
      if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
    } else {
      if (!Array.isArray(seedOrState) || seedOrState.length !== 4) throw new Error('Rng: a state is 4 uint32 words');
      this.s.set(seedOrState.map((v) => v >>> 0));
    }
  }

  /** The state to save; `new Rng(state)` continues the same stream. */
  getState(): RngState {
    return [this.s[0], this.s[1], this.s[2], this.s[3]];
  }

  /** Next uint32. */
  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 random bits. */
  uniform(): number {
    return this.nextU32() / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.min(n - 1, Math.floor(this.uniform() * n));
  }

  /** Standard normal (Box-Muller; one draw uses two uniforms, nothing is cached so the state stays 4 words). */
  normal(): number {
    const u1 = (this.nextU32() + 1) / 4294967297; // (0, 1]
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** n standard normals; with `truncation` t > 0, each is redrawn until |x| <= t (truncated normal). */
  normals(n: number, truncation = 0): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let v = this.normal();
      if (truncation > 0) while (Math.abs(v) > truncation) v = this.normal();
      out[i] = v;
    }
    return out;
  }

  /**
   * n standard normals by Marsaglia's polar method (pairs from uniforms in the unit disc: no sine or
   * cosine, about twice as fast as normals(); a different stream from the same state). For bulk noise
   * such as StyleGAN2's per-pixel noise inputs (~86,000 per 32x32 step at batch 16).
   */
  gaussians(n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i += 2) {
      let u: number;
      let v: number;
      let s: number;
      do {
        u = this.uniform() * 2 - 1;
        v = this.uniform() * 2 - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const m = Math.sqrt((-2 * Math.log(s)) / s);
      out[i] = u * m;
      if (i + 1 < n) out[i + 1] = v * m;
    }
    return out;
  }

  /** n uniforms in [lo, hi). */
  uniforms(n: number, lo = 0, hi = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * this.uniform();
    return out;
  }

  /** A fresh Rng seeded from this one (one draw): for independent sub-streams. */
  fork(): Rng {
    return new Rng(this.nextU32());
  }

  /** A `() => number` view (for APIs that take a uniform source). */
  asUniform(): () => number {
    return () => this.uniform();
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
