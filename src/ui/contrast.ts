/**
 * WCAG 2.x contrast for the EHR's SMART style colours: relative luminance and contrast ratio
 * (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio), and the text colour that keeps AA (4.5:1)
 * on a given background. Pure; colours the app cannot parse are `undefined` (left alone).
 */

/** WCAG AA for normal text. */
const AA_CONTRAST = 4.5;

type Rgb = readonly [number, number, number];

/** '#rgb', '#rrggbb' or 'rgb(r, g, b)'; undefined for anything else (names, hsl, var()). */
export function parseColor(value: string): Rgb | undefined {
  const text = value.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(text)?.[1];
  if (hex !== undefined) {
    const full = hex.length === 3 ? hex.replace(/./g, (h) => h + h) : hex;
    const [r = 0, g = 0, b = 0] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
    return [r, g, b];
  }
  const rgb = /^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$/.exec(text);
  if (rgb === null) {
    return undefined;
  }
  const [r = 0, g = 0, b = 0] = [rgb[1], rgb[2], rgb[3]].map(Number);
  return r <= 255 && g <= 255 && b <= 255 ? [r, g, b] : undefined;
}

function luminance([r, g, b]: Rgb): number {
  const linear = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** Contrast ratio of two colours (1–21), or undefined if either cannot be parsed. */
export function contrastRatio(a: string, b: string): number | undefined {
  const x = parseColor(a);
  const y = parseColor(b);
  if (x === undefined || y === undefined) {
    return undefined;
  }
  const [light, dark] = [luminance(x), luminance(y)].sort((p, q) => q - p);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}

/** Of the candidates, the text colour with the highest contrast on `background`. */
export function bestTextOn(background: string, candidates: readonly string[]): string | undefined {
  return candidates
    .map((c) => ({ c, ratio: contrastRatio(c, background) ?? 0 }))
    .sort((a, b) => b.ratio - a.ratio)[0]?.c;
}

/** Whether `text` on `background` reaches AA (false when either cannot be parsed). */
export function meetsAa(text: string, background: string): boolean {
  return (contrastRatio(text, background) ?? 0) >= AA_CONTRAST;
}
