// What each section says when it has nothing to draw: how its data arrives.
import { USAGE_SOURCE_NAMES } from '../ledger/events';

export const EMPTY = {
  inline:
    'No inline suggestions accepted in this range. Assay records an acceptance when you accept ghost text ' +
    '(Tab, or accept word / line) from an assistant such as Copilot; figures appear within seconds.',
  captureOff: 'Capture is off (setting assay.capture.enabled): no inline suggestions are recorded.',
  inlineFiltered: 'Nothing for the language and provider chosen in this range; other languages or providers have figures (clear the filters to see them).',
  opportunities:
    'No requests for suggestions recorded in this range. Assay counts each time the editor asks inline ' +
    'suggestion providers for ghost text while you type.',
  retention:
    'No acceptance with a known retention outcome in this range. Assay checks each acceptance 30 s to 15 min ' +
    'later; checkpoints whose document was closed or whose window ended are unknown and not counted.',
  usage: `No agent or chat usage in this range. Assay reads the logs of ${Object.values(USAGE_SOURCE_NAMES).join(', ')} on this machine; run "Assay: Import Agent Usage Now".`,
  usageFiltered: 'No usage from the source chosen in this range; other sources have some (clear the filters to see them).',
  costValue:
    'No cost in this range: import agent usage ("Assay: Import Agent Usage Now") or set seat prices in settings.',
  allPriced: 'Every model in this range has a price.',
  whatIf: 'No imported tokens in this range to price as another model.',
  agentOutputNoEdits:
    'No file edits by agents in this range. Assay counts the lines that Claude Code, Codex, Gemini CLI, Copilot Chat, ' +
    'Cline / Roo / Kilo and OpenCode write through their own edit tools, from the same logs as their usage.',
  agentRetention:
    'No agent edit measured yet: an edit is checked an hour, a day and a week after it was made, by the first import in that window.',
} as const;
