// Costs as printed: rounded to a millionth of a dollar, so `--json` and `--csv` show 0.123457 rather
// than 0.12345678900000001. Only the printed text is rounded; the figures other code adds up stay
// exact.

export function roundUSD(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** JSON.stringify, with every number under a `costUSD` key rounded by roundUSD. */
export function jsonWithRoundedCosts(value: unknown): string {
  return JSON.stringify(value, (key, field: unknown) => (key === 'costUSD' && typeof field === 'number' ? roundUSD(field) : field));
}
