import { ACSF, AtomenvError, SOAP } from '../src/index.js';

/** The descriptors the page offers. */
export type DemoDescriptor = 'soap' | 'acsf';

/** Defaults of the SOAP fields; also the SOAP of the heat-map when ACSF is chosen. */
export const DEFAULT_SOAP = { rCut: 5, nMax: 6, lMax: 4, sigma: 0.5 } as const;

/** Defaults of the ACSF fields: r_c in Å, 8 radial G2 [η (Å⁻²), R_s (Å)] and 8 angular G4 [η, ζ, λ]. */
export const DEFAULT_ACSF = {
  rCut: 6,
  g2Params: [[0.003214, 0], [0.035711, 0], [0.071421, 0], [0.124987, 0], [0.214264, 0], [0.357106, 0], [0.714213, 0], [1.428426, 0]],
  g4Params: [
    [0.000357, 1, -1], [0.028569, 1, -1], [0.089277, 1, -1], [0.000357, 2, -1],
    [0.000357, 1, 1], [0.028569, 1, 1], [0.089277, 1, 1], [0.000357, 2, 1],
  ],
} as const;

/** The form's controls, by name. */
function field(form: HTMLFormElement, name: string): HTMLInputElement | HTMLTextAreaElement {
  const element = form.elements.namedItem(name);
  if (!(element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement)) throw new Error(`demo: the form has no field ${name}`);
  return element;
}

/** Writes the defaults into the form and shows the fields of the chosen descriptor. */
export function resetForm(form: HTMLFormElement): void {
  field(form, 'soap-rCut').value = String(DEFAULT_SOAP.rCut);
  field(form, 'soap-nMax').value = String(DEFAULT_SOAP.nMax);
  field(form, 'soap-lMax').value = String(DEFAULT_SOAP.lMax);
  field(form, 'soap-sigma').value = String(DEFAULT_SOAP.sigma);
  field(form, 'acsf-rCut').value = String(DEFAULT_ACSF.rCut);
  field(form, 'acsf-g2').value = DEFAULT_ACSF.g2Params.map((row) => row.join('  ')).join('\n');
  field(form, 'acsf-g4').value = DEFAULT_ACSF.g4Params.map((row) => row.join('  ')).join('\n');
  showChosenFields(form);
}

/** The descriptor chosen with the radio buttons. */
export function chosenDescriptor(form: HTMLFormElement): DemoDescriptor {
  const value = (form.elements.namedItem('descriptor') as RadioNodeList).value;
  return value === 'acsf' ? 'acsf' : 'soap';
}

/** Shows the parameter fields of the chosen descriptor only. */
export function showChosenFields(form: HTMLFormElement): void {
  const chosen = chosenDescriptor(form);
  form.querySelectorAll<HTMLFieldSetElement>('fieldset[data-descriptor]').forEach((set) => {
    set.hidden = set.dataset.descriptor !== chosen;
    set.disabled = set.hidden;
  });
}

/**
 * The descriptor the form describes, for the file's species. Throws AtomenvError
 * (INVALID_PARAMETER) for a field that is not a number or a value the library refuses.
 */
export function readDescriptor(form: HTMLFormElement, species: readonly string[], periodic: boolean): SOAP | ACSF {
  if (chosenDescriptor(form) === 'acsf') {
    return new ACSF({
      species,
      periodic,
      rCut: numberField(form, 'acsf-rCut', 'ACSF r_cut'),
      g2Params: rowsField(form, 'acsf-g2', 'G2', ['η', 'R_s']) as [number, number][],
      g4Params: rowsField(form, 'acsf-g4', 'G4', ['η', 'ζ', 'λ']) as [number, number, number][],
    });
  }
  return new SOAP({
    species,
    periodic,
    rCut: numberField(form, 'soap-rCut', 'SOAP r_cut'),
    nMax: numberField(form, 'soap-nMax', 'SOAP n_max'),
    lMax: numberField(form, 'soap-lMax', 'SOAP l_max'),
    sigma: numberField(form, 'soap-sigma', 'SOAP σ'),
  });
}

/** The SOAP behind the similarity heat-map when the chosen descriptor is not SOAP. */
export function defaultSOAP(species: readonly string[], periodic: boolean): SOAP {
  return new SOAP({ species, periodic, ...DEFAULT_SOAP });
}

function numberField(form: HTMLFormElement, name: string, label: string): number {
  const raw = field(form, name).value.trim();
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value)) throw new AtomenvError('INVALID_PARAMETER', `${label}: "${raw}" is not a number`);
  return value;
}

/** Rows of numbers, one per line, separated by spaces or commas; blank lines and # comments skipped. */
function rowsField(form: HTMLFormElement, name: string, label: string, columns: readonly string[]): number[][] {
  const rows: number[][] = [];
  field(form, name).value.split('\n').forEach((line, k) => {
    const text = line.replace(/#.*/, '').trim();
    if (text === '') return;
    const row = text.split(/[\s,]+/).map(Number);
    if (row.length !== columns.length || !row.every(Number.isFinite)) {
      throw new AtomenvError('INVALID_PARAMETER', `${label} line ${k + 1}: expected ${columns.length} numbers (${columns.join(' ')}), got "${text}"`);
    }
    rows.push(row);
  });
  return rows;
}

/** One line about a descriptor's parameters, for the page. */
export function describeConfig(c: SOAP['config'] | ACSF['config']): string {
  if (c.descriptor === 'soap') return `SOAP (r_cut ${c.rCut} Å, n_max ${c.nMax}, l_max ${c.lMax}, σ ${c.sigma} Å)`;
  return `ACSF (r_cut ${c.rCut} Å, ${c.g2Params?.length ?? 0} G2, ${c.g4Params?.length ?? 0} G4)`;
}
