// What of an error may be shown, logged or sent to the webview. Node's file-system errors quote
// the full path in their message, and paths hold user and project names, so only an error's code
// or name leaves the place it happened, unless the message is one Assay wrote itself.

/** An error whose message Assay wrote and which holds no path or name: safe to show as it is. */
export class SafeMessageError extends Error {}

export function describeError(error: unknown): string {
  if (error instanceof SafeMessageError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown error';
}
