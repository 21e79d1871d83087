// Text from outside Assay (a ledger's model names, a team folder's file names) as it may be printed on a terminal or
// shown in the editor.

/**
 * `text` with its control (C0, DEL, C1) and bidirectional-formatting characters escaped as `\uXXXX`: an escape
 * sequence could clear or rewrite what a terminal shows, and a bidi override reorder it. Escaped rather than dropped,
 * so what was there can still be told apart; and escaped before any cut to a width, so no cut leaves half a sequence.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
