/**
 * A small SVG line chart over time. Hand-drawn SVG rather than a charting library: two charts with a
 * few hundred points need ~2 KB here against ~20 KB gzipped for the smallest library, and SVG
 * elements carry their own accessible titles. The table beside every chart is its text alternative.
 */
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { localDayOf } from '../../domain/fhir-primitives/dates.ts';

export interface ChartPoint {
  /** Milliseconds since the epoch. */
  readonly t: number;
  readonly value: number;
  readonly label: string;
  readonly highlight?: boolean;
}

export interface ReferenceLine {
  readonly value: number;
  readonly label: string;
}

export interface Marker {
  readonly t: number;
  readonly label: string;
}

interface TrendChartProps {
  readonly title: string;
  readonly points: readonly ChartPoint[];
  readonly yMax: number;
  readonly yLabel: string;
  readonly from: number;
  readonly to: number;
  readonly lines?: readonly ReferenceLine[];
  readonly markers?: readonly Marker[];
  /** Draw as a step line (a daily series) rather than joined dots. */
  readonly step?: boolean;
  /** The axis's first and last day in words; the clinic's local 'YYYY-MM-DD' by default. */
  readonly dayLabel?: (day: string) => string;
}

/** The drawing's widest and narrowest width, in SVG units (wider screens scale it up). */
const MAX_W = 640;
const MIN_W = 280;
const H = 220;
const PAD = { left: 44, right: 12, top: 26, bottom: 28 };

/** The clinic's local day of a point in time: UTC would show tomorrow after 17:00 in Denver. */
function formatDay(t: number): string {
  return localDayOf(new Date(t));
}

/**
 * The drawing's width in SVG units: the chart's own width in CSS pixels (between MIN_W and
 * MAX_W), so an 11-unit label is 11 px on a phone; a fixed 640-unit drawing shrank the labels to
 * about 6 px at 390 px. The SVG's CSS width does not depend on its viewBox, so this settles at once.
 */
function useDrawingWidth(): [RefObject<SVGSVGElement | null>, number] {
  const ref = useRef<SVGSVGElement>(null);
  const [width, setWidth] = useState(MAX_W);
  useLayoutEffect(() => {
    const svg = ref.current;
    if (svg === null || typeof ResizeObserver === 'undefined') {
      return undefined;
    }
    const fit = (px: number) => {
      if (px > 0) {
        setWidth(Math.round(Math.min(MAX_W, Math.max(MIN_W, px))));
      }
    };
    fit(svg.getBoundingClientRect().width);
    const observer = new ResizeObserver((entries) => {
      fit(entries[0]?.contentRect.width ?? 0);
    });
    observer.observe(svg);
    return () => {
      observer.disconnect();
    };
  }, []);
  return [ref, width];
}

export function TrendChart(props: TrendChartProps) {
  const { points, yMax, from, to } = props;
  const [ref, W] = useDrawingWidth();
  const day = (t: number) => (props.dayLabel ?? ((d: string) => d))(formatDay(t));
  const span = Math.max(to - from, 1);
  const x = (t: number): number => PAD.left + ((t - from) / span) * (W - PAD.left - PAD.right);
  const y = (v: number): number =>
    H - PAD.bottom - (Math.min(v, yMax) / yMax) * (H - PAD.top - PAD.bottom);
  const path = points
    .map((p, i) => {
      const cmd = i === 0 ? 'M' : props.step === true ? `H${x(p.t).toFixed(1)} V` : 'L';
      return props.step === true && i > 0
        ? `${cmd}${y(p.value).toFixed(1)}`
        : `${cmd}${x(p.t).toFixed(1)},${y(p.value).toFixed(1)}`;
    })
    .join(' ');
  const ticks = [0, yMax / 2, yMax];
  return (
    <svg
      ref={ref}
      className="trend-chart"
      viewBox={`0 0 ${String(W)} ${String(H)}`}
      role="img"
      aria-label={props.title}
    >
      <title>{props.title}</title>
      {ticks.map((v) => (
        <g key={v}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="#e1e4e8" />
          <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" fontSize="11">
            {Math.round(v)}
          </text>
        </g>
      ))}
      <text x={PAD.left} y={12} fontSize="11" fontWeight="600">
        {props.yLabel}
      </text>
      <text x={PAD.left} y={H - 8} fontSize="11">
        {day(from)}
      </text>
      <text x={W - PAD.right} y={H - 8} fontSize="11" textAnchor="end">
        {day(to)}
      </text>
      {(props.lines ?? []).map((l) => (
        <g key={l.label}>
          <line
            x1={PAD.left}
            x2={W - PAD.right}
            y1={y(l.value)}
            y2={y(l.value)}
            stroke="#b7791f"
            strokeDasharray="6 4"
          />
          <text
            x={W - PAD.right - 4}
            y={y(l.value) - 4}
            textAnchor="end"
            fontSize="11"
            fill="#7a5212"
          >
            {l.label}
          </text>
        </g>
      ))}
      {(props.markers ?? []).map((m) => (
        <g key={m.label}>
          <line
            x1={x(m.t)}
            x2={x(m.t)}
            y1={PAD.top}
            y2={H - PAD.bottom}
            stroke="#8c959f"
            strokeDasharray="2 3"
          />
          <text
            x={x(m.t) > W - 80 ? x(m.t) - 3 : x(m.t) + 3}
            y={PAD.top + 10}
            fontSize="10"
            fill="#545b62"
            textAnchor={x(m.t) > W - 80 ? 'end' : 'start'}
          >
            {m.label}
          </text>
        </g>
      ))}
      <path d={path} fill="none" stroke="var(--accent)" strokeWidth="2" />
      {props.step !== true &&
        points.map((p) => (
          <circle
            key={`${p.t}-${p.label}`}
            cx={x(p.t)}
            cy={y(p.value)}
            r={p.highlight === true ? 6 : 4}
            fill={p.highlight === true ? '#b7791f' : 'var(--accent)'}
          >
            <title>{p.label}</title>
          </circle>
        ))}
    </svg>
  );
}
