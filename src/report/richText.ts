// Sentences with numbers in them, shared by everything that writes one for a reader: the dashboard's protocol
// and view model, and the money core's findings, value ranges and warnings. A number travels as a figure (its
// value and how to show it) and is formatted only where it is shown, in the reader's locale. No `vscode`, no DOM:
// the webview bundle, the CLI and the workers import it too.
import * as z from 'zod';

/** `decimal`: up to two decimals (a setting such as 0.5 min); `multiple`: a ratio such as 3.2×. */
export const ValueFormat = z.enum(['count', 'decimal', 'percent', 'usd', 'tokens', 'usdPerMillion', 'chars', 'minutes', 'multiple']);
export type ValueFormat = z.infer<typeof ValueFormat>;

/** A number and how to show it. */
export const Figure = z.object({ value: z.number().nullable(), format: ValueFormat });
export type Figure = z.infer<typeof Figure>;

/** A sentence whose numbers are figures, so they read in the same locale as the figures around them. */
export const RichText = z.array(z.union([z.string().max(2_000), Figure])).max(64);
export type RichText = z.infer<typeof RichText>;

export function fig(value: number | null, format: ValueFormat): Figure {
  return { value, format };
}

/**
 * A sentence from a template: text stays text, figures stay figures, a nested sentence is spliced in, and
 * neighbouring text parts are joined. text`${fig(3, 'count')} requests` is `[{ value: 3, format: 'count' }, ' requests']`.
 */
export function text(strings: TemplateStringsArray, ...parts: Array<string | Figure | RichText>): RichText {
  const result: RichText = [];
  const push = (part: string | Figure): void => {
    const last = result[result.length - 1];
    if (typeof part === 'string') {
      if (part === '') return;
      if (typeof last === 'string') result[result.length - 1] = last + part;
      else result.push(part);
    } else result.push(part);
  };
  strings.forEach((literal, index) => {
    push(literal);
    if (index < parts.length) {
      const part = parts[index];
      if (Array.isArray(part)) part.forEach(push);
      else push(part);
    }
  });
  return result;
}
