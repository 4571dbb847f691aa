import { AtomenvError } from '../errors.js';

/** Element symbols indexed by atomic number (index 0 is unused). */
const SYMBOLS = (
  'X H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr ' +
  'Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb ' +
  'Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr Rf ' +
  'Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og'
).split(' ');

const NUMBER_OF = new Map<string, number>(SYMBOLS.map((s, z) => [s, z]));

/** Highest atomic number atomenv knows. */
export const MAX_ATOMIC_NUMBER = SYMBOLS.length - 1;

/** Atomic number of an element symbol (case-sensitive, as in the periodic table: `Cl`, not `CL`). */
export function atomicNumber(symbol: string): number {
  const z = NUMBER_OF.get(symbol);
  if (z === undefined || z === 0) {
    throw new AtomenvError('UNKNOWN_ELEMENT', `unknown element symbol '${symbol}'`);
  }
  return z;
}

/** Element symbol of an atomic number. */
export function elementSymbol(z: number): string {
  if (!Number.isInteger(z) || z < 1 || z > MAX_ATOMIC_NUMBER) {
    throw new AtomenvError('UNKNOWN_ELEMENT', `unknown atomic number ${z}`);
  }
  return SYMBOLS[z]!;
}

/** Accepts a symbol or an atomic number and returns the atomic number. */
export function toAtomicNumber(species: string | number): number {
  if (typeof species === 'number') {
    elementSymbol(species);
    return species;
  }
  return atomicNumber(species);
}
