// One CSV cell (RFC 4180), for every CSV Assay writes (the team report, `assay report --csv`).

/** Values are allowlisted names and numbers; quoting still guards a spreadsheet against any leading = + - @. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return /^[A-Za-z0-9._/ -]*$/.test(value) && !/^[=+\-@]/.test(value) ? value : `"'${value.replace(/"/g, '""')}"`;
}
