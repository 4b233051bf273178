/**
 * A small seeded pseudo-random generator, so that computations that start
 * from "random" values (the power iteration's start vectors, the matrix
 * factorisation's initial factors) give the same result for the same input.
 *
 * Algorithm: mulberry32 (Tommy Ettinger, public domain), a 32-bit state
 * generator with a full 2^32 period; quality is ample for start vectors and
 * initial weights, and it is not meant for anything secret.
 */

/** A generator of floats uniform in [0, 1). */
export type RandomSource = () => number;

/**
 * @param seed any 32-bit integer (other numbers are truncated to 32 bits)
 * @returns a function returning the next float in [0, 1) at each call
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
