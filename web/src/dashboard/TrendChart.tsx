/**
 * A line chart of one indicator over the sub-periods of the compare page, one line per unit
 * (ECharts 6, only the parts used: line chart, grid, legend, tooltip, canvas renderer). Loaded
 * lazily by the compare page, so the heatmap and the drill-down never download ECharts.
 *
 * Content-Security-Policy (style-src 'self'): the canvas renderer and the rich-text tooltip draw
 * everything on the canvas; nothing is written as HTML with inline styles. Lines differ by dash
 * pattern and point shape as well as by colour. The chart is an image for assistive technology
 * (role="img" with a summary); the same figures are in a table next to it.
 */
import { useEffect, useRef } from 'react';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface TrendSeries {
  name: string;
  values: Array<number | null>;
}

export interface TrendChartProps {
  categories: string[];
  series: TrendSeries[];
  /** Highest value of the axis (100 for percent, the group's maximum for points). */
  max: number | null;
  format(value: number): string;
  label: string;
}

/** Colours with at least 3:1 contrast on white, told apart by dash and point shape too. */
const COLOURS = ['#0b4f9c', '#a4161a', '#0f5c2e', '#8a5a00', '#5a2d82', '#1b1b1b'];
const DASHES = ['solid', 'dashed', 'dotted'] as const;
const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'pin', 'arrow'];

export default function TrendChart({ categories, series, max, format, label }: TrendChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        animation: false,
        color: COLOURS,
        textStyle: { fontFamily: 'system-ui, sans-serif', color: '#1b1b1b' },
        grid: { left: 8, right: 16, top: 48, bottom: 8, containLabel: true },
        legend: { top: 0, type: 'scroll', textStyle: { fontSize: 13 } },
        tooltip: { trigger: 'axis', renderMode: 'richText', valueFormatter: (v: unknown) => (typeof v === 'number' ? format(v) : '–') },
        xAxis: { type: 'category', data: categories, boundaryGap: false, axisLabel: { color: '#1b1b1b' } },
        yAxis: { type: 'value', min: 0, max: max ?? undefined, axisLabel: { color: '#1b1b1b', formatter: (v: number) => format(v) } },
        series: series.map((s, i) => ({
          type: 'line',
          name: s.name,
          data: s.values.map((v) => (v === null ? '-' : v)),
          connectNulls: false,
          symbol: SYMBOLS[i % SYMBOLS.length],
          symbolSize: 9,
          lineStyle: { width: 3, type: DASHES[i % DASHES.length] },
        })),
      },
      { notMerge: true },
    );
  }, [categories, series, max, format]);

  return <div ref={ref} className="trend-chart" role="img" aria-label={label} />;
}
