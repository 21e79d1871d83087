// Each log location's parser (importers/discovery.ts says where the logs are): the import's side of the table, apart
// from discovery.ts so the extension host, which needs only the folders, does not load every parser. What an import
// reads with, in the CLI, the import worker and the read threads (readWorkers.ts names a definition by its place here).
import { copilotOtelFile, LOG_LOCATIONS, type DiscoveryContext, type ParserName, type SourceDefinition } from './discovery';
import { parseContext } from './rawJson';
import { readRegularFile } from '../files/boundedRead';
import type { UsageParser } from './types';
import { ampThreadParser } from './sources/amp';
import { claudeCodeParser } from './sources/claudeCode';
import { clineSdkSessionParser, clineTaskParser, kiloCodeTaskParser, rooCodeTaskParser } from './sources/cline';
import { codexCompressedParser, codexParser } from './sources/codex';
import { continueTokensParser } from './sources/continue';
import { copilotChatSessionParser } from './sources/copilotChat';
import { copilotChatOtelParser } from './sources/copilotChatOtel';
import { geminiJsonlParser, geminiJsonParser } from './sources/gemini';
import { kiloDbParser } from './sources/kilo';
import { opencodeDbParser, opencodeMessageFileParser } from './sources/opencode';
import { copilotCliEventsParser } from './sources/copilotCli';
import { droidSettingsParser } from './sources/droid';
import { codebuffChatParser } from './sources/codebuff';
import { grokUpdatesParser } from './sources/grok';
import { hermesStateParser } from './sources/hermes';
import { openClawDbParser, openClawSessionParser } from './sources/openclaw';
import { piSessionParser } from './sources/pi';
import { qwenChatParser, qwenSessionFileParser } from './sources/qwen';
import { zcodeDbParser } from './sources/zcode';
import { gooseSessionsParser } from './sources/goose';
import { kimiCodeWireParser } from './sources/kimiCode';
import { kimiCliWireParser } from './sources/kimiCli';
import { crushDbParser } from './sources/crush';
import { antigravityConversationParser } from './sources/antigravity';
import { kiroCliDbParser, kiroCliSessionParser } from './sources/kiro';

const PARSERS: Record<ParserName, UsageParser> = {
  claudeCode: claudeCodeParser,
  codex: codexParser,
  codexCompressed: codexCompressedParser,
  geminiJsonl: geminiJsonlParser,
  geminiJson: geminiJsonParser,
  copilotChatSession: copilotChatSessionParser,
  copilotChatOtel: copilotChatOtelParser,
  clineTask: clineTaskParser,
  clineSdkSession: clineSdkSessionParser,
  rooCodeTask: rooCodeTaskParser,
  kiloCodeTask: kiloCodeTaskParser,
  kiloDb: kiloDbParser,
  opencodeDb: opencodeDbParser,
  opencodeMessageFile: opencodeMessageFileParser,
  continueTokens: continueTokensParser,
  qwenChat: qwenChatParser,
  qwenSessionFile: qwenSessionFileParser,
  piSession: piSessionParser,
  droidSettings: droidSettingsParser,
  ampThread: ampThreadParser,
  codebuffChat: codebuffChatParser,
  hermesState: hermesStateParser,
  openClawDb: openClawDbParser,
  openClawSession: openClawSessionParser,
  grokUpdates: grokUpdatesParser,
  copilotCliEvents: copilotCliEventsParser,
  zcodeDb: zcodeDbParser,
  gooseSessions: gooseSessionsParser,
  kimiCodeWire: kimiCodeWireParser,
  kimiCliWire: kimiCliWireParser,
  crushDb: crushDbParser,
  antigravityConversation: antigravityConversationParser,
  kiroCliDb: kiroCliDbParser,
  kiroCliSession: kiroCliSessionParser,
};

/** The head of the OpenTelemetry file searched for its first model call. */
const OTEL_HEAD_BYTES = 1 << 20;
/**
 * A session request is stamped when it was sent, and its model calls end up to minutes later (agent
 * loops): requests sent this long before the file's first model call may be the ones it holds.
 */
const REQUEST_LEAD_MS = 10 * 60 * 1000;
/** Only the times of the head's records are read: their digests and rejections are not kept. */
const HEAD_PROBE_CONTEXT = parseContext('', {});

/**
 * When the OpenTelemetry file is on, it has exact token counts per model call from its first record
 * on, and the session files count the same requests under other keys: session requests from then on
 * are skipped, while those from before it (the file was turned on later) still count. What the file
 * covered stays covered (COVERED_BY): once it is rotated, deleted or turned off, session requests
 * from 10 minutes before the first record Assay ever read from it up to its last one are still
 * skipped, and those after its last record count from the session files again.
 */
function copilotOtelCoveredFrom(context: DiscoveryContext): number | undefined {
  const file = copilotOtelFile(context);
  if (!file) return undefined;
  let head: string;
  try {
    head = readRegularFile(file, OTEL_HEAD_BYTES, { head: true })?.toString('utf8') ?? '';
  } catch {
    return undefined;
  }
  let first: number | undefined;
  const lines = head.split('\n');
  // The last piece may be a line cut by the head's end.
  for (const line of lines.slice(0, -1)) {
    for (const usage of copilotChatOtelParser.parseLine(line, {}, HEAD_PROBE_CONTEXT)) first = Math.min(first ?? usage.t, usage.t);
  }
  return first === undefined ? undefined : first - REQUEST_LEAD_MS;
}

/**
 * Locations whose records another location counts from some time on: which one (the import state keeps the times
 * its records covered, importState.ts `covered`), how much earlier this location may stamp the same response, and
 * from when the other location's current files hold them.
 */
const COVERED_BY: Partial<Record<ParserName, { by: ParserName; leadMs: number; from: (context: DiscoveryContext) => number | undefined }>> = {
  copilotChatSession: { by: 'copilotChatOtel', leadMs: REQUEST_LEAD_MS, from: copilotOtelCoveredFrom },
};

export const SOURCE_DEFINITIONS: readonly SourceDefinition[] = LOG_LOCATIONS.map((location) => {
  const covered = COVERED_BY[location.parserName];
  return {
    ...location,
    parser: PARSERS[location.parserName],
    ...(covered ? { coveredFrom: covered.from, coveredBy: { parserName: covered.by, leadMs: covered.leadMs } } : {}),
  };
});
