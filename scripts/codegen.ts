/**
 * What the code generators (gen:opioids, gen:valuesets) share: quoting a string as a TypeScript
 * literal and packing short items into lines of at most `width` characters.
 */

/** A single-quoted TypeScript string literal. */
export const tsString = (text: string): string =>
  `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

/** Items separated by spaces, packed into indented lines of at most `width` characters. */
export function packLines(items: readonly string[], indent: string, width = 100): string {
  const lines: string[] = [];
  let current = '';
  for (const item of items) {
    if (current !== '' && indent.length + current.length + item.length + 1 > width) {
      lines.push(indent + current.trimEnd());
      current = '';
    }
    current += `${item} `;
  }
  if (current !== '') {
    lines.push(indent + current.trimEnd());
  }
  return lines.join('\n');
}
