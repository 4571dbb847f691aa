/** Atoms a reader makes room for before their lines arrive. */
const INITIAL_ATOMS = 4096;

/**
 * Room for the coordinates of a frame of `total` atoms (from its count line), grown by
 * {@link withRoomFor} as the atom lines arrive: a malformed count (1e12) never sizes an allocation,
 * and a count beyond the lines is the reader's usual end-of-input error.
 */
export function framePositions(total: number): Float64Array {
  return new Float64Array(3 * Math.min(total, INITIAL_ATOMS));
}

/** `positions`, or a copy twice as long (at most `total` atoms), with room for atom `atom`. */
export function withRoomFor(positions: Float64Array, atom: number, total: number): Float64Array {
  if (3 * atom + 3 <= positions.length) return positions;
  const grown = new Float64Array(Math.min(3 * total, 2 * positions.length));
  grown.set(positions);
  return grown;
}
