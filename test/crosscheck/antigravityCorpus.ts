// Synthetic Antigravity CLI conversations for the ccusage cross-check, encoded as src/importers/sources/antigravity.ts
// describes them (ccusage's field meanings; test/unit/importers/antigravityFixtures.ts writes the rows). Seeded, so a
// failure reproduces. Each conversation holds what makes it more than a list of calls: steps that hold a copy of a
// generation's call (a few seconds earlier, or without a time of their own), steps without usage, retries, calls
// without ids, generations that name no model (the last named one counts) or a placeholder id, conversations whose
// first calls name no model at all, and subagent conversations holding exact copies of calls of their parent.
import * as path from 'node:path';
import { type AgyRow, type AgyTime, type AgyUsage, writeConversation } from '../unit/importers/antigravityFixtures';
import type { AgentCorpusOptions } from './agentCorpora';
import { seededRandom } from './corpus';

const DAY_MS = 86_400_000;
/** How generations name their model: display names, placeholder ids, ids as ccusage maps them. */
const MODEL_NAMES = ['Gemini 3.8 Flash (High)', 'Gemini 3.1 Pro (Low)', 'MODEL_PLACEHOLDER_M26', 'MODEL_PLACEHOLDER_M35', 'gemini-3-flash-agent', 'Claude Sonnet 4.5'];

const seconds = (ms: number): AgyTime => [Math.floor(ms / 1000), (ms % 1000) * 1_000_000];

/** Conversations under `root/conversations/` (subagents' in `subagents/`), `days` × `sessionsPerDay` of them. */
export async function writeAntigravityCorpus(root: string, options: AgentCorpusOptions): Promise<void> {
  const random = seededRandom(options.seed + 17);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const start = options.startMs ?? Date.parse('2026-10-01T00:00:00Z');
  let ids = 0;
  for (let day = 0; day < options.days; day++) {
    for (let s = 0; s < options.sessionsPerDay; s++) {
      const conversation = `conv-${day}-${s}`;
      let t = start + day * DAY_MS + between(0, DAY_MS - 1);
      const trajectory = seconds(t);
      const generations: AgyRow[] = [];
      const steps: AgyRow[] = [];
      const copied: AgyRow[] = [];
      const unnamedUntil = s % 5 === 0 ? between(1, 3) : 0;
      for (let c = between(3, 12); c > 0; c--) {
        t += between(2_000, 240_000);
        const reasoning = random() < 0.5 ? between(1, 2_000) : 0;
        const visibleOutput = between(1, 3_000);
        const withIds = random() < 0.9;
        const usage: AgyUsage = {
          input: between(1, 4_000),
          cacheRead: random() < 0.8 ? between(0, 60_000) : 0,
          cacheWrite: random() < 0.3 ? between(1, 5_000) : 0,
          reasoning,
          visibleOutput,
          totalOutput: random() < 0.7 ? visibleOutput + reasoning : 0,
          ...(withIds ? { responseId: `resp-${ids}`, providerMessageId: `msg_${ids}`, messageId: `m-${ids}` } : {}),
        };
        ids++;
        const named = generations.length >= unnamedUntil && random() < 0.4;
        const row: AgyRow = { usage, time: seconds(t), extra: 'Refactor the parser', ...(named ? { model: MODEL_NAMES[between(0, MODEL_NAMES.length - 1)] } : {}) };
        if (random() < 0.1) row.retries = [{ input: between(1, 500), totalOutput: between(1, 50), responseId: `resp-${ids++}` }];
        generations.push(row);
        const inStep = withIds && random() < 0.7;
        if (inStep) steps.push({ usage, ...(random() < 0.8 ? { time: seconds(t - between(500, 3_000)) } : {}) });
        steps.push({ extra: 'a user message' });
        // A subagent's copy is the same call: the same ids, counts, time and model (so either copy may count).
        if (withIds && named && !inStep && s % 4 === 1 && random() < 0.6) copied.push(row);
      }
      await writeConversation(path.join(root, 'conversations', `${conversation}.db`), { trajectory, generations, steps, stepText: '/home/u/project' });
      if (copied.length > 0) await writeConversation(path.join(root, 'conversations', 'subagents', `${conversation}-sub.db`), { generations: copied });
    }
  }
}
