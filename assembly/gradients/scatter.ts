// Turns gradients with respect to pair displacements d_e = r_j + T − r_c (one [3, F] block per
// neighbour-list entry e) into gradients with respect to atom positions:
//   ∂p_c/∂r_j += ∂p_c/∂d_e for every entry e of centre c whose atom is j (all its images), and,
//   when the centre moves with its atom (attach), ∂p_c/∂r_c −= ∂p_c/∂d_e.
// The caller chooses the output row of each entry and centre, which gives both the dense
// [centre, atom] layout and the sparse per-centre layout from the same code.
import { ldi } from '../memory';

export function scatterPairGradients(
  nCenters: i32, offsets: usize, rowOfEntry: usize, rowOfCenter: usize, nFeatures: i32,
  grad: usize, nRowsOut: i32, out: usize,
): void {
  const block = 3 * nFeatures;
  memory.fill(out, 0, <usize>nRowsOut * <usize>block * 8);
  for (let c = 0; c < nCenters; c++) {
    const centerRow = ldi(rowOfCenter, c);
    const end = ldi(offsets, c + 1);
    for (let e = ldi(offsets, c); e < end; e++) {
      const src = grad + <usize>e * <usize>block * 8;
      const dst = out + <usize>ldi(rowOfEntry, e) * <usize>block * 8;
      let f = 0;
      for (; f + 2 <= block; f += 2) {
        const off = <usize>f << 3;
        v128.store(dst + off, f64x2.add(v128.load(dst + off), v128.load(src + off)));
      }
      for (; f < block; f++) {
        const off = <usize>f << 3;
        store<f64>(dst + off, load<f64>(dst + off) + load<f64>(src + off));
      }
      if (centerRow >= 0) {
        const dc = out + <usize>centerRow * <usize>block * 8;
        f = 0;
        for (; f + 2 <= block; f += 2) {
          const off = <usize>f << 3;
          v128.store(dc + off, f64x2.sub(v128.load(dc + off), v128.load(src + off)));
        }
        for (; f < block; f++) {
          const off = <usize>f << 3;
          store<f64>(dc + off, load<f64>(dc + off) - load<f64>(src + off));
        }
      }
    }
  }
}
