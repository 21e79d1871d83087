// Number formatting for cards, axes, tooltips and tables, in the reader's locale.
import type { ValueFormat } from '../dashboard/protocol';

const locale = navigator.language || 'en-US';

const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
const usd = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const smallUsd = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', maximumSignificantDigits: 2 });
const oneDecimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });

const NO_VALUE = '—';

export function formatValue(value: number | null, format: ValueFormat): string {
  if (value === null || !Number.isFinite(value)) return NO_VALUE;
  switch (format) {
    case 'count':
    case 'chars':
      return integer.format(value);
    case 'tokens':
      return compact.format(value);
    case 'percent':
      return percent.format(value);
    case 'usd':
    case 'usdPerMillion':
      // Cents hide a month of cheap-model use; show two significant digits below one cent.
      return value !== 0 && Math.abs(value) < 0.01 ? smallUsd.format(value) : usd.format(value);
    case 'minutes':
      return value >= 120 ? `${oneDecimal.format(value / 60)} h` : `${oneDecimal.format(value)} min`;
  }
}

/** Shorter figures for axis ticks. */
export function formatTick(value: number, format: ValueFormat): string {
  switch (format) {
    case 'count':
    case 'chars':
    case 'tokens':
      return compact.format(value);
    case 'percent':
      return percent.format(value);
    default:
      return formatValue(value, format);
  }
}

const dayFormat = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const longDayFormat = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
const monthFormat = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' });

/** Category labels that are dates (YYYY-MM-DD) or months (YYYY-MM) read as dates; others as given. */
export function formatCategory(label: string, long = false): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(label)) {
    return (long ? longDayFormat : dayFormat).format(new Date(`${label}T00:00:00Z`));
  }
  if (/^\d{4}-\d{2}$/.test(label)) return monthFormat.format(new Date(`${label}-01T00:00:00Z`));
  return label;
}

export function truncate(label: string, max: number): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}
