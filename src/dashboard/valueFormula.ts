// The value estimate's formula with this range's own numbers, shown beside the estimate.
import { fig, formatCheckpoint, text, type RetentionTotals } from './figures';
import { VALUE_CHECKPOINT_SECONDS, type DashboardEconomics, type DashboardValue } from './inputs';
import type { RichText, ValueFormula } from './protocol';

export interface FormulaFigures {
  retention600: RetentionTotals;
  /** The value's agent terms (money/valueRange.ts agentWork). */
  work: { responses: number; keptAgentLines: number };
  /** Tokens billed by use (not covered by a flat plan). */
  billedTokenCost: number;
  seatCost: number;
  unpricedRequests: number;
  value: DashboardValue;
}

export function buildValueFormula(f: FormulaFigures, economics: DashboardEconomics): ValueFormula {
  const settings = economics.valueSettings;
  const checkpoint = formatCheckpoint(VALUE_CHECKPOINT_SECONDS);
  const hourly = fig(settings.hourlyCostUSD, 'usd');
  const kept = f.work.keptAgentLines > 0;
  const keptTerm = kept ? text` + ${fig(f.work.keptAgentLines, 'count')} kept agent lines × ${fig(settings.minutesPerKeptLine, 'decimal')} min` : [];
  const keptMinutes = kept ? text` + ${fig(f.value.minutesSavedKeptLines, 'decimal')}` : [];
  const formula = text`Estimated value = (${fig(f.retention600.arc, 'chars')} chars retained at ${checkpoint} ÷ ${fig(settings.typingCharsPerMinute, 'decimal')} chars/min + ${fig(f.work.responses, 'count')} responses × ${fig(settings.minutesPerResponse, 'decimal')} min${keptTerm}) ÷ 60 × ${hourly}/h = (${fig(f.value.minutesSavedTyping, 'decimal')} + ${fig(f.value.minutesSavedResponses, 'decimal')}${keptMinutes}) min ÷ 60 × ${hourly}/h = ${fig(f.value.valueUSD, 'usd')}`;
  const unpriced: RichText =
    f.unpricedRequests > 0 ? text` (${fig(f.unpricedRequests, 'count')} requests on unpriced models are not in the cost)` : [];
  const roiFormula: RichText =
    f.value.roi === null
      ? ['ROI: no spend in this range', ...unpriced]
      : [
          ...text`ROI = estimated value ÷ spend = ${fig(f.value.valueUSD, 'usd')} ÷ (${fig(f.seatCost, 'usd')} seats + ${fig(f.billedTokenCost, 'usd')} tokens billed by use) = ${fig(f.value.roi, 'multiple')}`,
          ...unpriced,
        ];
  return {
    formula,
    roiFormula,
    terms: [
      { label: `Accepted and retained characters at ${checkpoint} (known)`, value: f.retention600.arc, format: 'chars' },
      { label: 'Agent and chat responses whose edits were not measured a day later', value: f.work.responses, format: 'count' },
      { label: 'Agent lines kept a day later (measured)', value: f.work.keptAgentLines, format: 'count' },
      { label: 'Time saved by kept characters (estimate)', value: f.value.minutesSavedTyping, format: 'minutes' },
      { label: 'Time saved by agent responses (assumed)', value: f.value.minutesSavedResponses, format: 'minutes' },
      { label: 'Time saved by kept agent lines (estimate)', value: f.value.minutesSavedKeptLines, format: 'minutes' },
      { label: 'Time saved in all (estimate)', value: f.value.minutesSaved, format: 'minutes' },
      { label: 'Value (estimate)', value: f.value.valueUSD, format: 'usd' },
    ],
    settings: [...economics.valueSettingKeys],
  };
}
