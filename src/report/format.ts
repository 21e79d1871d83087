// Every number Assay shows (the dashboard page, the status bar, the team report) is formatted here, in one locale: the
// editor's display language as the view model gives it, so a card's figure and its detail line always agree. Both the
// extension and the webview bundle use it, so it imports neither.
import { isCalendarDate } from '../calendar/dates';
import type { Figure, RichText, ValueFormat } from './richText';

const NO_VALUE = '—';
const FALLBACK_LOCALE = 'en-US';

/** The locale if this browser's Intl knows it (an editor may name a language it does not). */
function usableLocale(locale: string): string {
  try {
    return Intl.NumberFormat.supportedLocalesOf([locale]).length > 0 ? locale : FALLBACK_LOCALE;
  } catch {
    return FALLBACK_LOCALE;
  }
}

export class Formatter {
  readonly locale: string;
  private readonly integer: Intl.NumberFormat;
  private readonly decimal: Intl.NumberFormat;
  private readonly compact: Intl.NumberFormat;
  private readonly percent: Intl.NumberFormat;
  private readonly usd: Intl.NumberFormat;
  private readonly smallUsd: Intl.NumberFormat;
  private readonly oneDecimal: Intl.NumberFormat;
  private readonly day: Intl.DateTimeFormat;
  private readonly longDay: Intl.DateTimeFormat;
  private readonly month: Intl.DateTimeFormat;

  constructor(locale: string) {
    this.locale = usableLocale(locale);
    const l = this.locale;
    this.integer = new Intl.NumberFormat(l, { maximumFractionDigits: 0 });
    this.decimal = new Intl.NumberFormat(l, { maximumFractionDigits: 2 });
    this.compact = new Intl.NumberFormat(l, { notation: 'compact', maximumFractionDigits: 1 });
    this.percent = new Intl.NumberFormat(l, { style: 'percent', maximumFractionDigits: 1 });
    this.usd = new Intl.NumberFormat(l, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
    this.smallUsd = new Intl.NumberFormat(l, { style: 'currency', currency: 'USD', maximumSignificantDigits: 2 });
    this.oneDecimal = new Intl.NumberFormat(l, { maximumFractionDigits: 1 });
    this.day = new Intl.DateTimeFormat(l, { month: 'short', day: 'numeric', timeZone: 'UTC' });
    this.longDay = new Intl.DateTimeFormat(l, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
    this.month = new Intl.DateTimeFormat(l, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  }

  value(value: number | null, format: ValueFormat): string {
    if (value === null || !Number.isFinite(value)) return NO_VALUE;
    switch (format) {
      case 'count':
      case 'chars':
        return this.integer.format(value);
      case 'decimal':
        return this.decimal.format(value);
      case 'tokens':
        return this.compact.format(value);
      case 'percent':
        return this.percent.format(value);
      case 'usd':
      case 'usdPerMillion':
        // Cents hide a month of cheap-model use; show two significant digits below one cent.
        return value !== 0 && Math.abs(value) < 0.01 ? this.smallUsd.format(value) : this.usd.format(value);
      case 'minutes':
        return value >= 120 ? `${this.oneDecimal.format(value / 60)} h` : `${this.oneDecimal.format(value)} min`;
      case 'multiple':
        return `${this.oneDecimal.format(value)}×`;
    }
  }

  /** Shorter figures for axis ticks. */
  tick(value: number, format: ValueFormat): string {
    switch (format) {
      case 'count':
      case 'chars':
      case 'tokens':
        return this.compact.format(value);
      default:
        return this.value(value, format);
    }
  }

  figure(figure: Figure): string {
    return this.value(figure.value, figure.format);
  }

  text(text: RichText): string {
    return text.map((part) => (typeof part === 'string' ? part : this.figure(part))).join('');
  }

  /**
   * Category labels that are dates (YYYY-MM-DD) or months (YYYY-MM) read as dates; others as given, and so is a
   * label shaped like a date that is none (a model named "2024-13-45"), which Intl would refuse to format.
   */
  category(label: string, long = false): string {
    // Checked as a calendar date: Date would read 2024-02-30 as March 1.
    if (isCalendarDate(label)) return (long ? this.longDay : this.day).format(new Date(`${label}T00:00:00Z`));
    if (isCalendarDate(`${label}-01`)) return this.month.format(new Date(`${label}-01T00:00:00Z`));
    return label;
  }
}

export function truncate(label: string, max: number): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}
