// The merge checks row lines with a hand-written check (isValidSummaryRow, beside the schemas in
// src/team/summarySchema.ts) and packs them from the parsed JSON rather than from zod's copy
// (src/team/merge.ts, parseSummaryLine); zod decides whatever the check does not accept. Both are
// only faster ways to the schema's own answer: on fuzzed lines, the check accepts nothing the schema
// refuses, accepts every row the schema accepts, and a row packed from the JSON is the row packed
// from zod's copy.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { HOSTILE_KEY } from '../../../src/team/merge';
import { RowPacker } from '../../../src/team/packedRows';
import { isValidSummaryRow, TeamSummaryLine } from '../../../src/team/summarySchema';
import type { InlineLine, UsageLine } from '../../../src/team/summarySchema';
import { mutated, RUN } from '../fuzz/hostile';
import { asOlderSchema, dev, inlineRow, summaryText, usageRow } from './teamFixtures';

const RETENTION = {
  '30': { known: 3, chars: 120, arc: 110, unchanged: 2, mostlyRetained: 3 },
  '600': { known: 2, chars: 80, arc: 60, unchanged: 1, mostlyRetained: 1 },
};

const AGENT_RETENTION = {
  '3600': { known: 3, linesAdded: 40, linesKept: 38 },
  '86400': { known: 2, linesAdded: 30, linesKept: 20 },
  '604800': { known: 1, linesAdded: 10, linesKept: 0 },
};

/**
 * Valid lines of every kind: export, inline, usage priced and unpriced with and without agent output
 * measured, and the same usage lines as versions 2 (no agent output) and 1 (no token tiers either) wrote them.
 */
const TEMPLATES: unknown[] = (() => {
  const text = summaryText(dev(1), {
    inline: [
      inlineRow('2024-05-02', { retention: RETENTION, agentEditsInEditor: 3, agentCharsInEditor: 200 }),
      inlineRow('2024-05-03', { languageId: 'python', provider: 'other' }),
    ],
    usage: [
      usageRow('2024-05-02', { agentEdits: 6, linesAdded: 50, linesRemoved: 12, agentRetention: AGENT_RETENTION, wasteTokens: 4000 }),
      usageRow('2024-05-03', { source: 'codex', model: 'other', costUSD: null }),
    ],
  });
  const lines = (summary: string) => summary.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  const usage = (summary: string) => lines(summary).filter((line) => line.kind === 'usage');
  return [...lines(text), ...usage(asOlderSchema(text, 2)), ...usage(asOlderSchema(text, 1))];
})();

/** Values at the schema's edges: bounds, impossible dates, names outside the allowlists, checkpoint keys. */
const edgeValue = fc.constantFrom<unknown>(
  0, 1, -1, 0.5, 1e9, 1e9 + 1, 1e13, 1e13 + 1, 1e7, 1e7 + 0.01, 2 ** 53, 1e308, null, true, '', [], {},
  '2024-02-29', '2023-02-29', '2024-13-01', '0099-01-01', '2024-5-1', '2024-05-02T00:00:00Z',
  'export', 'inline', 'usage', 'other', 'typescript', 'TypeScript', 'copilot', 'claude-code', 'codex',
  'claude-sonnet-4-5', 'gpt-5', 'ft:gpt-4o:acme-corp:secret', 'copilot-business', '0000000000000002', '000000000000000G',
  { known: 1, chars: 2, arc: 3, unchanged: 0, mostlyRetained: 1 },
  { known: 1, linesAdded: 2, linesKept: 1 },
);
const edgeKey = fc.constantFrom(
  '30', '600', '0', '00', '99999', '100000', '1e3', 'x', 'extra', 'tokens', 'constructor', 'toString',
  '3600', '86400', '604800', '03600', '86400.0', 'agentEdits', 'linesAdded', 'agentRetention', 'wasteTokens', 'schema',
  'agentEditsInEditor', 'agentCharsInEditor',
);

function objectPaths(value: unknown, prefix: string[] = [], into: string[][] = []): string[][] {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    into.push(prefix);
    for (const [key, child] of Object.entries(value)) objectPaths(child, [...prefix, key], into);
  }
  return into;
}

/** `template` with one key set to an edge value, added, or removed. */
function atTheEdges(template: unknown): fc.Arbitrary<unknown> {
  const objects = objectPaths(template);
  return fc.tuple(fc.nat({ max: objects.length - 1 }), fc.oneof(edgeKey, fc.constantFrom(...Object.keys(template as object))), edgeValue, fc.boolean()).map(
    ([index, key, value, remove]) => {
      const copy = structuredClone(template) as Record<string, unknown>;
      let target = copy;
      for (const segment of objects[index]) target = target[segment] as Record<string, unknown>;
      if (remove) delete target[key];
      else target[key] = value;
      return copy;
    },
  );
}

/** A line as the merge sees it: what JSON.parse makes of it. */
const line = fc.oneof(...TEMPLATES.map((template) => fc.oneof(atTheEdges(template), mutated(template)))).map((value) => JSON.parse(JSON.stringify(value)) as unknown);

function packed(row: InlineLine | UsageLine) {
  const packer = new RowPacker();
  packer.add(row);
  return packer.finish();
}

describe('team summary lines: the merge\'s row check is the schema', () => {
  it('fuzzed lines: the check accepts no line the schema refuses and every row it accepts, and packs them alike from the JSON and from zod\'s copy', () => {
    let rows = 0;
    let agentRows = 0;
    fc.assert(
      fc.property(line, (json) => {
        const parsed = TeamSummaryLine.safeParse(json);
        const isRow = parsed.success && parsed.data.kind !== 'export';
        const checked = isValidSummaryRow(json);
        if (checked) {
          rows++;
          if ((json as { agentRetention?: unknown }).agentRetention !== undefined) agentRows++;
          assert.ok(isRow, 'the check accepted a line the schema refuses');
          assert.deepEqual(packed(json as InlineLine | UsageLine), packed(parsed.data as InlineLine | UsageLine));
        }
        // A line with a key such as __proto__ is refused before the check (HOSTILE_KEY); any other
        // row the schema accepts, the check accepts too, or the merge would be slow for nothing.
        if (!HOSTILE_KEY.test(JSON.stringify(json))) assert.equal(checked, isRow, 'a row the schema accepts is left to zod');
      }),
      { ...RUN, numRuns: 3000 },
    );
    assert.ok(rows > 100, `only ${rows} fuzzed lines were valid rows: the fuzzing no longer reaches the accepting side`);
    assert.ok(agentRows > 50, `only ${agentRows} fuzzed valid rows had agent output: the fuzzing no longer reaches it`);
  });
});
