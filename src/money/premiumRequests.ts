// Copilot premium requests (docs/money.md, Plans): Copilot Chat requests from its logs, each times its model's
// multiplier (./copilotBilling.ts), against the plan's monthly allowance. Only where the log names a model with a
// published multiplier: a request on any other model is counted apart, never guessed as 1.
// Months are the user's local months (rows are dated in the report's time zone) while GitHub resets its counters at
// 00:00 UTC on the 1st, so requests within the zone's UTC offset of midnight on the 1st fall in the neighbouring
// month here. With Copilot Chat's OpenTelemetry file on, each model call is a request, and an agent turn makes
// several calls: the count is then an upper bound of the prompts GitHub bills.
import { monthOf } from '../calendar/dates';
import { EXTRA_PREMIUM_REQUEST_USD, premiumRequestMultiplier } from './copilotBilling';

const COPILOT_CHAT = 'copilot-chat';

export interface ModelRequestRow {
  date: string;
  source: string;
  model: string;
  requests: number;
}

export interface PremiumRequestMonth {
  month: string;
  /** Copilot Chat requests on models with a multiplier. */
  requests: number;
  /** Those requests, each times its model's multiplier. */
  premiumRequests: number;
  /** Requests on models without a published multiplier: not in `premiumRequests`. */
  unknownMultiplierRequests: number;
  unknownModels: string[];
  /** The month's allowance for all Copilot seats on request-based billing; null without one. */
  allowance: number | null;
  /** premiumRequests ÷ allowance; null without an allowance (or with an allowance of 0). */
  fractionUsed: number | null;
  /** Premium requests beyond the allowance, and what GitHub charges for them. */
  extraRequests: number;
  extraUSD: number;
}

/** Premium requests per local month of the Copilot Chat rows in `rows`, oldest month first. */
export function premiumRequestsByMonth(rows: readonly ModelRequestRow[], allowance: number | null): PremiumRequestMonth[] {
  const months = new Map<string, PremiumRequestMonth>();
  for (const row of rows) {
    if (row.source !== COPILOT_CHAT || row.requests <= 0) continue;
    const month = monthOf(row.date);
    let entry = months.get(month);
    if (!entry) {
      entry = {
        month,
        requests: 0,
        premiumRequests: 0,
        unknownMultiplierRequests: 0,
        unknownModels: [],
        allowance,
        fractionUsed: null,
        extraRequests: 0,
        extraUSD: 0,
      };
      months.set(month, entry);
    }
    const multiplier = premiumRequestMultiplier(row.model);
    if (multiplier === undefined) {
      entry.unknownMultiplierRequests += row.requests;
      if (!entry.unknownModels.includes(row.model)) entry.unknownModels.push(row.model);
    } else {
      entry.requests += row.requests;
      entry.premiumRequests += row.requests * multiplier;
    }
  }
  for (const entry of months.values()) {
    entry.unknownModels.sort();
    if (allowance !== null && allowance > 0) entry.fractionUsed = entry.premiumRequests / allowance;
    entry.extraRequests = allowance === null ? 0 : Math.max(0, entry.premiumRequests - allowance);
    entry.extraUSD = entry.extraRequests * EXTRA_PREMIUM_REQUEST_USD;
  }
  return [...months.values()].sort((a, b) => (a.month < b.month ? -1 : 1));
}
