import { describe, expect, it } from 'vitest';
import { contrastRatio, parseColor } from '../../../src/ui/contrast.ts';
import { readableColours } from '../../../src/ui/smartStyle.ts';

describe('WCAG contrast of SMART style colours', () => {
  it.each([
    ['#000', '#fff', 21],
    ['#ffffff', '#ffffff', 1],
    ['#777777', '#ffffff', 4.48],
    ['rgb(11, 92, 173)', '#ffffff', 6.67],
  ])('%s on %s is %f:1', (a, b, ratio) => {
    expect(contrastRatio(a, b)).toBeCloseTo(ratio, 2);
  });

  it.each(['white', 'hsl(0 0% 0%)', 'var(--x)', '#12345', 'rgb(300, 0, 0)'])(
    'does not guess at %s',
    (value) => {
      expect(parseColor(value)).toBeUndefined();
    },
  );
});

describe("an EHR's style never drops text below AA", () => {
  const style = (entries: Record<string, string>) =>
    Object.fromEntries(readableColours(new Map(Object.entries(entries))));

  it('puts black text on a bright highlight instead of white (2.3:1)', () => {
    expect(contrastRatio('#ffffff', '#6cb4ee')).toBeLessThan(4.5);
    const applied = style({ color_highlight: '#6cb4ee' });
    expect(applied['--smart-color-highlight']).toBe('#6cb4ee');
    expect(applied['--accent-text']).toBe('#000000');
    // As text on the page the bright blue fails too: the text colour is used instead.
    expect(applied['--accent-ink']).toBe('#1b1f23');
  });

  it('keeps white on a dark highlight and uses the highlight as text', () => {
    const applied = style({ color_highlight: '#1d3b5c', color_background: '#f5f7fa' });
    expect(applied).toMatchObject({
      '--accent-text': '#ffffff',
      '--accent-ink': '#1d3b5c',
      '--smart-color-background': '#f5f7fa',
    });
  });

  it('keeps its own text and background when the pair fails, and its own error colour', () => {
    const applied = style({
      color_text: '#999999',
      color_background: '#ffffff',
      color_error: '#ff8080',
    });
    expect(applied['--smart-color-text']).toBeUndefined();
    expect(applied['--smart-color-background']).toBeUndefined();
    expect(applied['--smart-color-error']).toBeUndefined();
  });
});
