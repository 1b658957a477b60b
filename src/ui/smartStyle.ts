/**
 * Applies the EHR's SMART style (smart_style_url) as CSS custom properties, so the app blends into
 * the chart. Unknown or unreachable styles are ignored: the app's own look is the fallback.
 */
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
    for (const key of STYLE_PROPERTIES) {
      const value = record[key];
      if (typeof value === 'string' && /^[#\w\s.,%()'"-]+$/.test(value)) {
        root.style.setProperty(`--smart-${key.replace(/_/g, '-')}`, value);
      }
    }
    root.dataset['smartStyle'] = 'applied';
  } catch {
    // A style the EHR cannot serve changes nothing the clinician needs.
  }
}
