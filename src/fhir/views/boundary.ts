/**
 * FHIRPath lowBoundary() / highBoundary() for dates, dateTimes and times as the SQL on FHIR tests
 * expect them (a dateTime without a zone spans every zone: +14:00 at the low end, −12:00 at the
 * high end). A decimal's boundary depends on its written precision, which JSON.parse has
 * already dropped (1.0 arrives as 1), so it is taken from the number as JavaScript writes it.
 */

type Side = 'low' | 'high';

interface TypedNode {
  readonly data?: unknown;
  readonly fhirNodeDataType?: string;
}

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function dateBoundary(value: string, side: Side): string | undefined {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (match === null) {
    return undefined;
  }
  const year = Number(match[1]);
  const month = match[2] ?? (side === 'low' ? '01' : '12');
  const day = match[3] ?? (side === 'low' ? '01' : String(lastDay(year, Number(month))));
  return `${match[1]}-${month}-${day.padStart(2, '0')}`;
}

function timeBoundary(value: string, side: Side): string | undefined {
  const match = /^(\d{2})(?::(\d{2})(?::(\d{2})(\.\d+)?)?)?$/.exec(value);
  if (match === null) {
    return undefined;
  }
  const fill =
    side === 'low' ? { mm: '00', ss: '00', ms: '.000' } : { mm: '59', ss: '59', ms: '.999' };
  const fraction =
    match[4] === undefined ? fill.ms : match[4].padEnd(4, side === 'low' ? '0' : '9').slice(0, 4);
  return `${match[1]}:${match[2] ?? fill.mm}:${match[3] ?? fill.ss}${fraction}`;
}

function dateTimeBoundary(value: string, side: Side): string | undefined {
  const [date, rest] = value.split('T');
  const day = date === undefined ? undefined : dateBoundary(date, side);
  if (day === undefined) {
    return undefined;
  }
  const zoneMatch = rest === undefined ? null : /(Z|[+-]\d{2}:\d{2})$/.exec(rest);
  const zone = zoneMatch?.[1] ?? (side === 'low' ? '+14:00' : '-12:00');
  const clock =
    rest === undefined ? '' : rest.slice(0, rest.length - (zoneMatch?.[1]?.length ?? 0));
  const time = timeBoundary(clock === '' ? (side === 'low' ? '00' : '23') : clock, side);
  return time === undefined ? undefined : `${day}T${time}${zone}`;
}

function decimalBoundary(value: number, side: Side): number {
  const decimals = (String(value).split('.')[1] ?? '').length;
  const half = 5 * 10 ** -(decimals + 1);
  return Number((side === 'low' ? value - half : value + half).toFixed(decimals + 1));
}

function boundary(side: Side) {
  return {
    fn(inputs: unknown[]) {
      return inputs.flatMap((input): (string | number)[] => {
        const node = input as TypedNode | string | number;
        const value = typeof node === 'object' ? node.data : input;
        if (typeof value === 'number') {
          return [decimalBoundary(value, side)];
        }
        if (typeof value !== 'string') {
          return [];
        }
        const type = typeof node === 'object' ? node.fhirNodeDataType : undefined;
        const result =
          type === 'date'
            ? dateBoundary(value, side)
            : type === 'time'
              ? timeBoundary(value, side)
              : dateTimeBoundary(value, side);
        return result === undefined ? [] : [result];
      });
    },
    arity: { 0: [], 1: ['Integer' as const] },
    // Receive fhirpath.js's nodes, which carry the FHIR type (date, dateTime, time).
    internalStructures: true,
  };
}

export const BOUNDARY_FUNCTIONS = { lowBoundary: boundary('low'), highBoundary: boundary('high') };
