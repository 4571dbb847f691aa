// The live view of the MD panel, with ECharts: the atoms projected on x–y (wrapped into the
// cell) and the energies and temperature against time.
import * as echarts from 'echarts/core';
import { LineChart, ScatterChart, type LineSeriesOption, type ScatterSeriesOption } from 'echarts/charts';
import {
  GridComponent, LegendComponent, TooltipComponent,
  type GridComponentOption, type LegendComponentOption, type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { ELEMENT_COLORS, chartIn } from './charts.js';
import type { MDSample } from './mdProtocol.js';

echarts.use([LineChart, ScatterChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<
  LineSeriesOption | ScatterSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/** Drawn size of an atom (px) by element; others 8. */
const ATOM_SIZE: Readonly<Record<string, number>> = { H: 6, O: 10 };

/** The cell as rows a, b, c (Å) and its inverse, for wrapping positions. */
interface CellFrame {
  rows: number[][];
  inverse: number[][];
}

function invert3(m: number[][]): number[][] {
  const [a, b, c] = m as [number[], number[], number[]];
  const det = a[0]! * (b[1]! * c[2]! - b[2]! * c[1]!) - a[1]! * (b[0]! * c[2]! - b[2]! * c[0]!) + a[2]! * (b[0]! * c[1]! - b[1]! * c[0]!);
  const cof = (r1: number[], r2: number[]) => [r1[1]! * r2[2]! - r1[2]! * r2[1]!, r1[2]! * r2[0]! - r1[0]! * r2[2]!, r1[0]! * r2[1]! - r1[1]! * r2[0]!];
  // Columns of the inverse are b×c, c×a, a×b over det.
  const [x, y, z] = [cof(b, c), cof(c, a), cof(a, b)];
  return [0, 1, 2].map((i) => [x[i]! / det, y[i]! / det, z[i]! / det]);
}

/**
 * x–y of each atom, wrapped into the cell: fractional f = r·C⁻¹ (C has the cell vectors as
 * rows), f − ⌊f⌋, back to r = f·C.
 */
export function wrappedXY(positions: ArrayLike<number>, cell: CellFrame | null): Float64Array {
  const n = positions.length / 3;
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const r = [positions[3 * i]!, positions[3 * i + 1]!, positions[3 * i + 2]!];
    if (cell === null) {
      out[2 * i] = r[0]!;
      out[2 * i + 1] = r[1]!;
      continue;
    }
    const f = [0, 1, 2].map((k) => {
      const v = r[0]! * cell.inverse[0]![k]! + r[1]! * cell.inverse[1]![k]! + r[2]! * cell.inverse[2]![k]!;
      return v - Math.floor(v);
    });
    out[2 * i] = f[0]! * cell.rows[0]![0]! + f[1]! * cell.rows[1]![0]! + f[2]! * cell.rows[2]![0]!;
    out[2 * i + 1] = f[0]! * cell.rows[0]![1]! + f[1]! * cell.rows[1]![1]! + f[2]! * cell.rows[2]![1]!;
  }
  return out;
}

/** The square-keeping resize listener of the current atom view. */
let resizeSquare: (() => void) | null = null;

/** The atom view: a scatter series per element, and the x–y outline of the cell. */
export class AtomView {
  readonly chart: echarts.ECharts;
  private readonly cell: CellFrame | null;
  private readonly elements: string[];
  private readonly indices: number[][];

  constructor(element: HTMLElement, symbols: readonly string[], cell: number[][] | null, positions: ArrayLike<number>) {
    this.chart = chartIn(element);
    this.cell = cell === null ? null : { rows: cell, inverse: invert3(cell) };
    this.elements = [...new Set(symbols)];
    this.indices = this.elements.map((e) => symbols.flatMap((s, i) => (s === e ? [i] : [])));
    const xy = wrappedXY(positions, this.cell);
    // Bounds: the cell's x–y outline (all 8 corners), else the atoms with a margin.
    let corners: number[][];
    if (cell !== null) {
      corners = [];
      for (const i of [0, 1]) for (const j of [0, 1]) for (const k of [0, 1]) {
        corners.push([0, 1].map((d) => i * cell[0]![d]! + j * cell[1]![d]! + k * cell[2]![d]!));
      }
    } else {
      corners = [];
      for (let i = 0; i < xy.length; i += 2) corners.push([xy[i]!, xy[i + 1]!]);
    }
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const [x, y] of corners) {
      x0 = Math.min(x0, x!); x1 = Math.max(x1, x!);
      y0 = Math.min(y0, y!); y1 = Math.max(y1, y!);
    }
    const margin = cell === null ? 2 : 0;
    const span = Math.max(x1 - x0, y1 - y0) + 2 * margin;
    const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
    // A square plot area so Å look the same along x and y (again after a resize).
    const square = () => {
      const width = element.clientWidth || 400, height = element.clientHeight || 400;
      const side = Math.max(100, Math.min(width - 70, height - 70));
      return { left: Math.max(50, (width - side) / 2), width: side, top: 30, height: side };
    };
    if (resizeSquare !== null) window.removeEventListener('resize', resizeSquare);
    resizeSquare = () => this.chart.setOption({ grid: square() });
    window.addEventListener('resize', resizeSquare);
    const outline = cell === null ? [] : [[0, 0], [cell[0]![0]!, cell[0]![1]!], [cell[0]![0]! + cell[1]![0]!, cell[0]![1]! + cell[1]![1]!], [cell[1]![0]!, cell[1]![1]!], [0, 0]];
    const option: Option = {
      animation: false,
      grid: square(),
      legend: { top: 2, data: this.elements },
      tooltip: { trigger: 'item', formatter: (p) => `${(p as { seriesName?: string }).seriesName ?? ''} atom ${String(((p as { data?: unknown[] }).data ?? [])[2])}` },
      xAxis: { type: 'value', name: 'x (Å)', nameLocation: 'middle', nameGap: 26, min: round(cx - span / 2), max: round(cx + span / 2), splitLine: { show: false }, axisLabel: { showMaxLabel: false } },
      yAxis: { type: 'value', name: 'y (Å)', nameLocation: 'middle', nameGap: 34, min: round(cy - span / 2), max: round(cy + span / 2), splitLine: { show: false }, axisLabel: { showMaxLabel: false } },
      series: [
        { type: 'line', id: 'cell', name: 'cell', data: outline, showSymbol: false, silent: true, lineStyle: { color: '#888', type: 'dashed', width: 1 } },
        ...this.elements.map((symbol, e): ScatterSeriesOption => ({
          type: 'scatter', id: `atoms-${symbol}`, name: symbol, symbolSize: ATOM_SIZE[symbol] ?? 8,
          itemStyle: { color: ELEMENT_COLORS[symbol], borderColor: '#555', borderWidth: 0.6, opacity: 0.9 },
          data: this.points(xy, e),
        })),
      ],
    };
    this.chart.setOption(option, { notMerge: true });
  }

  /** Moves the atoms to `positions` (Å). */
  update(positions: ArrayLike<number>): void {
    const xy = wrappedXY(positions, this.cell);
    this.chart.setOption({ series: this.elements.map((symbol, e) => ({ id: `atoms-${symbol}`, data: this.points(xy, e) })) });
  }

  private points(xy: Float64Array, e: number): number[][] {
    return this.indices[e]!.map((i) => [xy[2 * i]!, xy[2 * i + 1]!, i]);
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/**
 * The energy chart: the changes since step 0 of E_pot, E_kin and E_tot (eV, left axis; in NVE
 * ΔE_pot and ΔE_kin mirror each other and ΔE_tot stays flat) and T (K, right axis) against t (fs).
 */
export class EnergyChart {
  readonly chart: echarts.ECharts;

  constructor(element: HTMLElement) {
    this.chart = chartIn(element);
    const option: Option = {
      animation: false,
      grid: { left: 64, right: 64, top: 36, bottom: 44 },
      legend: { top: 2 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? v.toPrecision(6) : String(v)) },
      xAxis: { type: 'value', name: 't (fs)', nameLocation: 'middle', nameGap: 26, min: 0 },
      yAxis: [
        { type: 'value', name: 'eV', scale: true, splitLine: { lineStyle: { color: '#eee' } } },
        { type: 'value', name: 'K', scale: true, position: 'right', splitLine: { show: false } },
      ],
      series: [
        this.line('ΔE_pot', '#1f77b4', 0),
        this.line('ΔE_kin', '#d62728', 0),
        this.line('ΔE_tot', '#2ca02c', 0),
        { ...this.line('T', '#9467bd', 1), lineStyle: { width: 1, type: 'dotted', color: '#9467bd' } },
      ],
    };
    this.chart.setOption(option, { notMerge: true });
  }

  /** Redraws from all the samples, as changes from the first one. */
  update(samples: readonly MDSample[]): void {
    const first = samples[0];
    const [p0, k0, e0] = first === undefined ? [0, 0, 0] : [first.potential, first.kinetic, first.total];
    this.chart.setOption({
      series: [
        { data: samples.map((s) => [s.time, s.potential - p0]) },
        { data: samples.map((s) => [s.time, s.kinetic - k0]) },
        { data: samples.map((s) => [s.time, s.total - e0]) },
        { data: samples.map((s) => [s.time, s.temperature]) },
      ],
    });
  }

  private line(name: string, color: string, yAxisIndex: number): LineSeriesOption {
    return { type: 'line', name, yAxisIndex, showSymbol: false, sampling: 'lttb', data: [], itemStyle: { color }, lineStyle: { width: 1.5, color } };
  }
}
