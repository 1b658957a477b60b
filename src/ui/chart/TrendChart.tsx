/**
 * A small SVG line chart over time. Hand-drawn SVG rather than a charting library: two charts with a
 * few hundred points need ~2 KB here against ~20 KB gzipped for the smallest library, and SVG
 * elements carry their own accessible titles. The table beside every chart is its text alternative.
 */
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
}

const W = 640;
const H = 220;
const PAD = { left: 44, right: 12, top: 26, bottom: 28 };

/** The clinic's local day of a point in time: UTC would show tomorrow after 17:00 in Denver. */
function formatDay(t: number): string {
  return localDayOf(new Date(t));
}

export function TrendChart(props: TrendChartProps) {
  const { points, yMax, from, to } = props;
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
    <svg className="trend-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.title}>
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
        {formatDay(from)}
      </text>
      <text x={W - PAD.right} y={H - 8} fontSize="11" textAnchor="end">
        {formatDay(to)}
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
