// What of an error may be shown, logged or sent to the webview. Node's file-system errors quote
// the full path in their message, and paths hold user and project names, so only an error's code
// or name leaves the place it happened, unless the message is one Assay wrote itself.

/**
 * Marks an Assay error in every bundle: dist/teamReport.js and dist/otlp.js, required by the extension on first use,
 * each hold their own copy of this module, so an error they throw is no `instanceof` the extension's class.
 */
const SAFE_MESSAGE = Symbol.for('assay.SafeMessageError');

/** An error whose message Assay wrote and which holds no path or name: safe to show as it is. */
export class SafeMessageError extends Error {
  readonly [SAFE_MESSAGE] = true;
}

function isSafeMessageError(error: unknown): error is SafeMessageError {
  return error instanceof Error && (error as Partial<Record<typeof SAFE_MESSAGE, unknown>>)[SAFE_MESSAGE] === true;
}

export function describeError(error: unknown): string {
  if (isSafeMessageError(error)) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown error';
}
