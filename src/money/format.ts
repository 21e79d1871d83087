// Sentences and formulas with numbers in them, in the shape the dashboard protocol calls RichText: text parts and
// figures, so the webview formats every number in the editor's locale, as it does the cards' own figures.

/** How a figure is shown: the dashboard protocol's ValueFormat names. */
export type FigureFormat = 'count' | 'decimal' | 'percent' | 'usd' | 'chars' | 'minutes' | 'multiple';

export interface Figure {
  value: number | null;
  format: FigureFormat;
}

export type RichText = Array<string | Figure>;

export function figure(value: number | null, format: FigureFormat): Figure {
  return { value, format };
}

/**
 * A sentence from a template: text stays text, figures stay figures, and a nested sentence is spliced in.
 * `rich\`${figure(3, 'count')} requests\`` is `[{ value: 3, format: 'count' }, ' requests']`.
 */
export function rich(strings: TemplateStringsArray, ...parts: Array<string | Figure | RichText>): RichText {
  const result: RichText = [];
  const push = (part: string | Figure): void => {
    const last = result[result.length - 1];
    if (typeof part === 'string') {
      if (part === '') return;
      if (typeof last === 'string') result[result.length - 1] = last + part;
      else result.push(part);
    } else result.push(part);
  };
  strings.forEach((text, index) => {
    push(text);
    if (index < parts.length) {
      const part = parts[index];
      if (Array.isArray(part)) part.forEach(push);
      else push(part);
    }
  });
  return result;
}
