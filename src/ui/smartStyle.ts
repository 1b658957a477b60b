/**
 * Applies the EHR's SMART style (smart_style_url) as CSS custom properties, so the app blends into
 * the chart. Unknown or unreachable styles are ignored: the app's own look is the fallback. Text
 * never drops below WCAG AA (4.5:1): a colour pair the app cannot check or that fails is not
 * taken (ours stays), and the text on the EHR's highlight is whichever of white or the text
 * colour reads best on it.
 */
import { bestTextOn, meetsAa } from './contrast.ts';

/** The app's own colours (styles.css), what the EHR's are checked against when it sends none. */
const OURS = { background: '#ffffff', text: '#1b1f23', white: '#ffffff' } as const;

const COLOURS = ['color_background', 'color_text', 'color_highlight', 'color_error'] as const;
const STYLE_PROPERTIES = [
  'color_background',
  'color_error',
  'color_highlight',
  'color_modal_backdrop',
  'color_success',
  'color_text',
  'dim_border_radius',
  'dim_font_size',
  'dim_spacing_size',
  'font_family_body',
  'font_family_heading',
] as const;

export async function applySmartStyle(
  url: string,
  root: HTMLElement = document.documentElement,
): Promise<void> {
  try {
    const response = await fetch(url);
    if (!response.ok) {
      return;
    }
    const style: unknown = await response.json();
    if (typeof style !== 'object' || style === null) {
      return;
    }
    const record = style as Record<string, unknown>;
    const values = new Map<string, string>();
    for (const key of STYLE_PROPERTIES) {
      const value = record[key];
      if (typeof value === 'string' && /^[#\w\s.,%()'"-]+$/.test(value)) {
        values.set(key, value);
      }
    }
    for (const [key, value] of [...values].filter(([k]) => !isColour(k))) {
      root.style.setProperty(`--smart-${key.replace(/_/g, '-')}`, value);
    }
    for (const [name, value] of readableColours(values)) {
      root.style.setProperty(name, value);
    }
    root.dataset['smartStyle'] = 'applied';
  } catch {
    // A style the EHR cannot serve changes nothing the clinician needs.
  }
}

function isColour(key: string): boolean {
  return (COLOURS as readonly string[]).includes(key);
}

/**
 * The EHR's colours that keep text readable, as CSS properties: background and text together
 * when they reach AA; the highlight with the text colour that reads on it (--accent-text) and the
 * colour that reads as text on the page (--accent-ink); the error colour when it reads both as
 * text and under white text.
 */
export function readableColours(values: ReadonlyMap<string, string>): [string, string][] {
  const out: [string, string][] = [];
  const ehrBackground = values.get('color_background');
  const ehrText = values.get('color_text');
  const background = ehrBackground ?? OURS.background;
  const text = ehrText ?? OURS.text;
  const base = meetsAa(text, background);
  if (base) {
    if (ehrBackground !== undefined) {
      out.push(['--smart-color-background', ehrBackground]);
    }
    if (ehrText !== undefined) {
      out.push(['--smart-color-text', ehrText]);
    }
  }
  const page = base ? background : OURS.background;
  const ink = base ? text : OURS.text;
  const highlight = values.get('color_highlight');
  if (highlight !== undefined) {
    const onHighlight = bestTextOn(highlight, [OURS.white, ink, '#000000']);
    if (onHighlight !== undefined && meetsAa(onHighlight, highlight)) {
      out.push(['--smart-color-highlight', highlight]);
      out.push(['--accent-text', onHighlight]);
      const readsOnPage = meetsAa(highlight, page) && meetsAa(highlight, OURS.white);
      out.push(['--accent-ink', readsOnPage ? highlight : ink]);
    }
  }
  const error = values.get('color_error');
  if (error !== undefined && meetsAa(error, page) && meetsAa(OURS.white, error)) {
    out.push(['--smart-color-error', error]);
  }
  return out;
}
