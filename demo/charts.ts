// The two charts of the page, drawn with Apache ECharts (only the parts used are bundled).
import * as echarts from 'echarts/core';
import { HeatmapChart, ScatterChart, type HeatmapSeriesOption, type ScatterSeriesOption } from 'echarts/charts';
import {
  GridComponent, LegendComponent, TooltipComponent, VisualMapComponent,
  type GridComponentOption, type LegendComponentOption, type TooltipComponentOption, type VisualMapComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([ScatterChart, HeatmapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

type MapOption = echarts.ComposeOption<ScatterSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;
type HeatmapOption = echarts.ComposeOption<HeatmapSeriesOption | GridComponentOption | TooltipComponentOption | VisualMapComponentOption>;

/** Jmol's element colours for the common elements (others take the ECharts palette). */
export const ELEMENT_COLORS: Readonly<Record<string, string>> = {
  H: '#e8e8e8', C: '#404040', N: '#3050f8', O: '#ff0d0d', F: '#90e050', Na: '#ab5cf2', Mg: '#8aff00', Al: '#bfa6a6',
  Si: '#f0c8a0', P: '#ff8000', S: '#ffc832', Cl: '#1ff01f', K: '#8f40d4', Ca: '#3dff00', Fe: '#e06633', Cu: '#c88033',
  Zn: '#7d80b0', Br: '#a62929', Ti: '#bfc2c7', Li: '#cc80ff', B: '#ffb5b5',
};

/** One chart per element, reused across runs, resized with the window. */
export function chartIn(element: HTMLElement): echarts.ECharts {
  const existing = echarts.getInstanceByDom(element);
  if (existing !== undefined) return existing;
  const chart = echarts.init(element, null, { renderer: 'canvas' });
  window.addEventListener('resize', () => chart.resize());
  return chart;
}

/** A point of the environment map: PCA coordinates and the row of the descriptor matrix. */
export interface MapPoint {
  readonly x: number;
  readonly y: number;
  readonly row: number;
  readonly element: string;
}

/**
 * Scatter plot of the atomic environments on the first two principal axes, one series (and
 * colour) per element; `describe(row)` gives the hover text of a point.
 */
export function drawEnvironmentMap(
  element: HTMLElement, points: readonly MapPoint[], axes: [string, string], describe: (row: number) => string,
): echarts.ECharts {
  const chart = chartIn(element);
  const elements = [...new Set(points.map((p) => p.element))];
  const option: MapOption = {
    animation: false,
    grid: { left: 56, right: 16, top: 40, bottom: 48 },
    legend: { top: 4, data: elements },
    tooltip: {
      trigger: 'item',
      formatter: (params) => {
        const data = (params as { data?: unknown }).data;
        return Array.isArray(data) ? describe(data[2] as number) : '';
      },
    },
    xAxis: { type: 'value', name: axes[0], nameLocation: 'middle', nameGap: 28, scale: true, splitLine: { lineStyle: { color: '#eee' } } },
    yAxis: { type: 'value', name: axes[1], nameLocation: 'middle', nameGap: 40, scale: true, splitLine: { lineStyle: { color: '#eee' } } },
    series: elements.map((symbol): ScatterSeriesOption => ({
      type: 'scatter',
      name: symbol,
      symbolSize: 8,
      large: points.length > 5000,
      itemStyle: { color: ELEMENT_COLORS[symbol], borderColor: '#333', borderWidth: 0.5, opacity: 0.85 },
      emphasis: { focus: 'series' },
      data: points.filter((p) => p.element === symbol).map((p) => [p.x, p.y, p.row]),
    })),
  };
  chart.setOption(option, { notMerge: true });
  return chart;
}

/**
 * Heat-map of a symmetric [n, n] similarity matrix between structures (row 0 at the top),
 * labelled with `names`.
 */
export function drawSimilarityHeatmap(element: HTMLElement, names: readonly string[], values: Float64Array): echarts.ECharts {
  const chart = chartIn(element);
  const n = names.length;
  const labels = names.map((name, k) => `${k} ${name}`);
  const data: [number, number, number][] = [];
  let low = Infinity;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = values[i * n + j]!;
      data.push([j, i, v]);
      low = Math.min(low, v);
    }
  }
  const showLabels = n <= 60;
  const option: HeatmapOption = {
    animation: false,
    grid: { left: showLabels ? 120 : 40, right: 16, top: 16, bottom: showLabels ? 150 : 70 },
    tooltip: {
      formatter: (params) => {
        const [j, i, v] = (params as unknown as { data: [number, number, number] }).data;
        return `${labels[i]} ↔ ${labels[j]}<br>K = ${v.toFixed(4)}`;
      },
    },
    xAxis: { type: 'category', data: labels, axisLabel: { show: showLabels, rotate: 90, interval: 0, fontSize: 10 }, splitArea: { show: false } },
    yAxis: { type: 'category', data: labels, inverse: true, axisLabel: { show: showLabels, interval: 0, fontSize: 10 } },
    visualMap: {
      type: 'continuous', min: low < 1 ? low : 0, max: 1, calculable: true, orient: 'horizontal', left: 'center', bottom: 0,
      precision: 3, inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] },
    },
    series: [{ type: 'heatmap', name: 'average SOAP kernel', data, emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } } }],
  };
  chart.setOption(option, { notMerge: true });
  return chart;
}
