/**
 * A chart of one report table, drawn by Apache ECharts (tree-shaken: bar charts, the SVG
 * renderer and the components used). The chart is a picture for sighted users; the
 * table beside it carries the same figures for everyone else.
 */
import { useEffect, useRef } from 'react';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { ReportTable } from '../../../../libs/domain/src/reports';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** How each report is drawn: the category column, the series (numeric columns), stacked or side by side. */
interface ChartSpec {
  category: (row: Record<string, string | number | null>) => string;
  series: string[] | 'numbers-except-total';
  stack?: boolean;
  horizontal?: boolean;
}

const col = (key: string) => (row: Record<string, string | number | null>) => String(row[key] ?? '');

export const CHART_SPECS: Record<ReportTable['name'], ChartSpec> = {
  volumes: { category: col('month'), series: 'numbers-except-total', stack: true },
  'stage-times': { category: col('stage'), series: ['p50', 'p90'] },
  sla: { category: col('stage'), series: ['onTime', 'breached'], stack: true },
  backlog: { category: col('band'), series: 'numbers-except-total', stack: true },
  outcomes: { category: (r) => `${r.riskTier}: ${r.outcome}`, series: ['cases', 'conditions', 'conditionsMet'], horizontal: true },
  countries: { category: col('country'), series: ['cases'], horizontal: true },
  'nsi-areas': { category: col('area'), series: ['cases'], horizontal: true },
  screening: { category: col('list'), series: ['clearedFalsePositive', 'confirmed', 'open'], stack: true },
  're-reviews': { category: col('month'), series: ['due', 'overdue'] },
};

// GOV.UK palette, distinguishable in order.
const COLOURS = ['#1d70b8', '#00703c', '#d4351c', '#f47738', '#4c2c92', '#28a197', '#b58840', '#f499be', '#505a5f', '#85994b'];

export function ReportChart({ table }: { table: ReportTable }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const spec = CHART_SPECS[table.name];
    const numeric = table.columns.filter((c) => c.kind !== 'text');
    const keys = spec.series === 'numbers-except-total' ? numeric.filter((c) => c.key !== 'total').map((c) => c.key) : spec.series;
    // A stacked chart leaves out series that are zero everywhere: their legend entries say nothing.
    const shown = keys.filter((k) => !spec.stack || table.rows.some((r) => Number(r[k] ?? 0) !== 0));
    const categories = table.rows.map(spec.category);
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    const categoryAxis = { type: 'category' as const, data: categories, axisLabel: { interval: 0, width: 140, overflow: 'truncate' as const } };
    const valueAxis = { type: 'value' as const };
    chart.setOption({
      color: COLOURS,
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: spec.horizontal ? 160 : 48, right: 16, top: 40, bottom: 32 },
      xAxis: spec.horizontal ? valueAxis : categoryAxis,
      yAxis: spec.horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
      series: shown.map((k) => ({
        name: table.columns.find((c) => c.key === k)?.label ?? k,
        type: 'bar',
        stack: spec.stack ? 'total' : undefined,
        data: table.rows.map((r) => r[k] ?? 0),
      })),
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [table]);
  const height = CHART_SPECS[table.name].horizontal ? Math.max(200, 48 + table.rows.length * 28) : 320;
  // The picture is hidden from assistive technology: the table that follows holds the same figures.
  return <div ref={ref} className="tr-chart" data-chart={table.name} aria-hidden="true" style={{ height, width: '100%' }} />;
}
