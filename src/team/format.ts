// Numbers as the team report's text and HTML show them.

export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function usd(value: number): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Two significant digits below ten cents, where whole cents would show a cost per line as $0.01 or $0.00. */
export function usdSmall(value: number): string {
  return value === 0 || Math.abs(value) >= 0.1 ? usd(value) : `$${value.toLocaleString('en-US', { maximumSignificantDigits: 2 })}`;
}

/** A difference, with its sign. */
export function signedUsd(value: number): string {
  return value < 0 ? `−${usd(-value)}` : `+${usd(value)}`;
}

export function percent(value: number | null): string {
  return value === null ? '–' : `${(value * 100).toFixed(1)}%`;
}

/** What a count of people is of: developers, or in a personal report the one person's machines. */
export function whom(personal: boolean, n: number): string {
  const word = personal ? 'machine' : 'developer';
  return n === 1 ? word : `${word}s`;
}
