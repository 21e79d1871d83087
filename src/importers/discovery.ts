// Where each tool keeps its logs, and which files there are usage logs: one table, `LOG_LOCATIONS`, whose entries
// name their parser. The parsers are joined to it in sourceDefinitions.ts (`SOURCE_DEFINITIONS`), apart from this
// module, so the extension host, which needs only the folders, does not load them. A source is added by writing its
// parser, one entry here and its name in sourceDefinitions.ts.
// Defaults follow each tool's own resolution of its folders (env vars first); explicit folders from
// settings or the CLI replace a source's defaults, and `discover: false` reads only explicit folders.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import type { UsageSource } from '../ledger/events';
import { editorUserDataDirs } from '../ledger/storageLocation';
import type { UsageParser } from './types';
import { readRegularFile } from '../files/boundedRead';

export interface DiscoveryContext {
  env: Record<string, string | undefined>;
  homeDir: string;
  platform: NodeJS.Platform;
  /**
   * Storage folders the user chose in an editor extension's own settings (Roo Code's and Kilo Code's
   * `customStoragePath`), which only the editor can read; passed in by the editor glue.
   */
  customStoragePaths?: CustomStoragePaths;
}

/** The file names tools give their logs (each parser's module, under sources/, cites the tool's code). */
const COPILOT_CLI_EVENTS_FILE = 'events.jsonl';
export const DROID_SETTINGS_SUFFIX = '.settings.json';
const CODEBUFF_CHAT_FILE = 'chat-messages.json';
const HERMES_STATE_DB = 'state.db';
const ZCODE_DB = 'cli/db/db.sqlite';
const GOOSE_SESSIONS_DB = 'sessions.db';
const CRUSH_DB = 'crush.db';
const KIRO_CLI_DB = 'data.sqlite3';

/** Sources whose editor extension has a `<extension>.customStoragePath` setting. */
export type CustomStoragePaths = Partial<Record<'roo-code' | 'kilo-code', string>>;

/** Where one kind of a tool's logs is, and which files there are logs of that kind. */
export interface LogLocation {
  source: UsageSource;
  /** Its parser's name in sourceDefinitions.ts. */
  parserName: string;
  /** Default folders to search (absolute; missing ones are skipped). */
  defaultRoots(context: DiscoveryContext): string[];
  /** Whether a file is one of this source's logs; `relativePath` is below a root, with `/` separators. */
  accepts(relativePath: string, context: DiscoveryContext): boolean;
  /** Folder levels below a root worth entering (editor storage folders hold much else); default unlimited. */
  maxDepth?: number;
  /** Optional: an accepted file that another representation of the same log supersedes (absolute path). */
  superseded?(filePath: string): boolean;
}

/** A log location with its parser: what an import reads files with. */
export interface SourceDefinition extends LogLocation {
  parser: UsageParser;
  /**
   * Optional: another location (`coveredBy.parserName`) counts the same responses under other keys: from the time
   * `coveredFrom` returns on (epoch ms, from that location's current files), and within the time its records read
   * in earlier runs span (kept in the import state), extended `leadMs` earlier, as this location may stamp a
   * response that long before the other one does.
   */
  coveredFrom?(context: DiscoveryContext): number | undefined;
  coveredBy?: { parserName: string; leadMs: number };
}

export interface DiscoveredFile {
  source: UsageSource;
  parser: UsageParser;
  path: string;
  /** Records at or after this time are counted from another file (`SourceDefinition.coveredFrom`). */
  skipFrom?: number;
  /** The location that counts this file's records within the time its records covered (`SourceDefinition.coveredBy`). */
  coveredBy?: { parserName: string; leadMs: number };
  /** This file's records stand in for another location's: the name the time they cover is kept under (its parser's). */
  covering?: string;
}

export interface DiscoveryResult {
  files: DiscoveredFile[];
  /** Sources with at least one existing root folder (the tool is or was installed). */
  foundSources: Set<UsageSource>;
  /** Per source, how many of its root folders held more than MAX_WALK_ENTRIES entries: only their first ones were searched. */
  foldersCutShort: Partial<Record<UsageSource, number>>;
}

function expandHome(folder: string, homeDir: string): string {
  if (folder === '~') return homeDir;
  if (folder.startsWith('~/') || folder.startsWith('~\\')) return path.join(homeDir, folder.slice(2));
  return folder;
}

function xdgConfigHome(context: DiscoveryContext): string {
  return context.env.XDG_CONFIG_HOME || path.join(context.homeDir, '.config');
}

/** Claude Code: `CLAUDE_CONFIG_DIR` (comma list; an entry may name `projects/` itself), else both default dirs. */
export function claudeProjectRoots(context: DiscoveryContext): string[] {
  const configured = context.env.CLAUDE_CONFIG_DIR;
  const dirs = configured
    ? configured.split(',').map((entry) => entry.trim()).filter((entry) => entry.length > 0)
    : [path.join(xdgConfigHome(context), 'claude'), path.join(context.homeDir, '.claude')];
  return dirs.map((dir) => {
    const expanded = expandHome(dir, context.homeDir);
    return path.basename(expanded) === 'projects' ? expanded : path.join(expanded, 'projects');
  });
}

/** Codex CLI: `${CODEX_HOME:-~/.codex}/sessions` and `archived_sessions`. */
export function codexSessionRoots(context: DiscoveryContext): string[] {
  const home = context.env.CODEX_HOME ? expandHome(context.env.CODEX_HOME, context.homeDir) : path.join(context.homeDir, '.codex');
  return [path.join(home, 'sessions'), path.join(home, 'archived_sessions')];
}

/** `User` folders of VS Code and its forks on this OS (for workspaceStorage/globalStorage sources). */
function editorUserDirs(context: DiscoveryContext): string[] {
  return editorUserDataDirs({ platform: context.platform, env: context.env, homedir: context.homeDir }).map((dir) =>
    path.join(dir, 'User'),
  );
}

/** `globalStorage/<extension id>` folders of every editor (Cline and forks keep tasks there). */
function extensionGlobalStorageDirs(context: DiscoveryContext, extensionId: string): string[] {
  return editorUserDirs(context).map((dir) => path.join(dir, 'globalStorage', extensionId));
}

const isJsonl = (relativePath: string) => relativePath.toLowerCase().endsWith('.jsonl');

/** `$variable` (with `~` expanded) when set, else `~/<fallback>`. */
function homeFromEnv(context: DiscoveryContext, variable: string, fallback: string): string {
  const configured = context.env[variable];
  return configured ? expandHome(configured, context.homeDir) : path.join(context.homeDir, fallback);
}

/**
 * Gemini CLI: `${GEMINI_CLI_HOME:-~}/.gemini/tmp` (then `<project>/chats/`), and from 0.61.0 also
 * `${GEMINI_CLI_HOME:-~}/.cache/.gemini/tmp`, where a session run in the macOS Seatbelt sandbox
 * (`SANDBOX=sandbox-exec`, set only inside it) keeps its chats: the profile blocks writes to `~/.gemini`
 * (npm @google/gemini-cli-core 0.61.0, dist/src/config/storage.js `getGlobalRuntimeDir`).
 */
function geminiRoots(context: DiscoveryContext): string[] {
  const home = context.env.GEMINI_CLI_HOME ? expandHome(context.env.GEMINI_CLI_HOME, context.homeDir) : context.homeDir;
  return [path.join(home, '.gemini', 'tmp'), path.join(home, '.cache', '.gemini', 'tmp')];
}

/**
 * The file Copilot Chat's OpenTelemetry exporter writes, when the user turned it on
 * (`github.copilot.chat.otel.enabled` and `.outfile`, or its environment variables).
 */
export function copilotOtelFile(context: DiscoveryContext): string | undefined {
  const enabled = context.env.COPILOT_OTEL_ENABLED;
  const file = context.env.COPILOT_OTEL_FILE_EXPORTER_PATH;
  if (!file || !enabled || enabled === 'false' || enabled === '0') return undefined;
  return expandHome(file, context.homeDir);
}

/** The environment as Copilot Chat sets it when its OpenTelemetry file exporter is on. */
export function withCopilotOtelFile(
  env: Record<string, string | undefined>,
  file: string | null,
): Record<string, string | undefined> {
  return file ? { ...env, COPILOT_OTEL_ENABLED: 'true', COPILOT_OTEL_FILE_EXPORTER_PATH: file } : env;
}

/** Copilot Chat sessions: every editor's workspaceStorage, and its sessions of windows without a folder. */
function copilotChatRoots(context: DiscoveryContext): string[] {
  return editorUserDirs(context).flatMap((dir) => [
    path.join(dir, 'workspaceStorage'),
    path.join(dir, 'globalStorage', 'emptyWindowChatSessions'),
  ]);
}

/** `${XDG_DATA_HOME:-~/.local/share}/<app>`: xdg-basedir's data folder, which OpenCode and its forks use on every OS. */
function xdgDataFolder(context: DiscoveryContext, app: string): string {
  return path.join(context.env.XDG_DATA_HOME || path.join(context.homeDir, '.local', 'share'), app);
}

/**
 * Where an OpenCode-based tool keeps its database: files named as `names` matches in its data folder, or the file its
 * environment variable names, an absolute path or a name in that folder (`:memory:` is no file). OpenCode:
 * `$OPENCODE_DB`; Kilo: `$KILO_DB` (Kilo-Org/kilocode packages/core/src/database/database.ts at
 * 2770028959952965af9645f632474e4e2d8c1b0e, `path()`).
 */
function opencodeDatabases(app: string, variable: string, names: RegExp): Pick<LogLocation, 'defaultRoots' | 'accepts' | 'maxDepth'> {
  const override = (context: DiscoveryContext): string | undefined => {
    const configured = context.env[variable];
    if (!configured || configured === ':memory:') return undefined;
    return path.isAbsolute(configured) ? configured : path.join(xdgDataFolder(context, app), configured);
  };
  return {
    defaultRoots: (context) => {
      const file = override(context);
      return [xdgDataFolder(context, app), ...(file ? [path.dirname(file)] : [])];
    },
    accepts: (relative, context) => {
      const file = override(context);
      return names.test(relative) || (file !== undefined && relative === path.basename(file));
    },
    maxDepth: 0,
  };
}

/** `opencode.db`, or a channel's `opencode-<channel>.db`. */
const OPENCODE_DB_FILE = /^opencode(?:-[A-Za-z0-9._-]+)?\.db$/;
/** `kilo.db` (the latest, beta and prod channels), or another channel's `kilo-<channel>.db` (7.7.9) or `opencode-<channel>.db`. */
const KILO_DB_FILE = /^(?:kilo|(?:kilo|opencode)-[A-Za-z0-9._-]+)\.db$/;

/** Qwen Code's runtime folder: `$QWEN_RUNTIME_DIR`, else `$QWEN_HOME`, else `~/.qwen` (0.24; `~/.qwen` before). */
function qwenRuntimeDirs(context: DiscoveryContext): string[] {
  const home = path.join(context.homeDir, '.qwen');
  return [envFolder(context, 'QWEN_RUNTIME_DIR') ?? envFolder(context, 'QWEN_HOME') ?? home, home];
}

/**
 * A session file, `<uuid>.jsonl` (Qwen's SESSION_FILE_PATTERN, not the `.ledger.jsonl` beside it), or a subagent's
 * transcript, `subagents/<session>/agent-<id>.jsonl` (not its `.stream` file).
 */
const QWEN_CHAT_FILE = /^[^/]+\/(?:chats\/(?:archive\/)?[0-9a-fA-F-]{32,36}|subagents\/[^/]+\/agent-[^/]+)\.jsonl$/;

/**
 * Pi's session folders: `${PI_CODING_AGENT_DIR:-~/.pi/agent}/sessions` (one folder per working directory) and
 * `$PI_CODING_AGENT_SESSION_DIR`, which holds the files directly (pi-coding-agent 0.73.1 config.js, main.js).
 */
function piSessionRoots(context: DiscoveryContext): string[] {
  const agentDir = envFolder(context, 'PI_CODING_AGENT_DIR') ?? path.join(context.homeDir, '.pi', 'agent');
  const sessionDir = envFolder(context, 'PI_CODING_AGENT_SESSION_DIR');
  return [path.join(agentDir, 'sessions'), ...(sessionDir ? [sessionDir] : [])];
}

/** The folders a comma-list variable names, as ccusage splits them: trimmed, empty entries dropped. */
function commaListFolders(value: string, context: DiscoveryContext): string[] {
  return value.split(',').map((entry) => entry.trim()).filter((entry) => entry.length > 0).map((entry) => expandHome(entry, context.homeDir));
}

/**
 * Factory Droid's session folders as ccusage reads them: `$DROID_SESSIONS_DIR` (a comma list), else
 * `.factory/sessions` in Droid's home, which Droid itself takes from `$FACTORY_HOME_OVERRIDE` when set and not empty,
 * else the user's home (@factory/cli-linux-x64 0.225.2: `R(){return t()||o()}`, `t` reading the variable, `o` os.homedir).
 */
function droidSessionRoots(context: DiscoveryContext): string[] {
  const configured = context.env.DROID_SESSIONS_DIR;
  if (configured === undefined) return [path.join(context.env.FACTORY_HOME_OVERRIDE || context.homeDir, '.factory', 'sessions')];
  return commaListFolders(configured, context);
}

/**
 * Amp's thread folders: `$AMP_DATA_DIR` (a comma list, ccusage's variable; set, it alone counts), else Amp's own data
 * folder `${XDG_DATA_HOME:-~/.local/share}/amp` and `~/.local/share/amp`, which ccusage reads; then `threads/`.
 */
function ampThreadRoots(context: DiscoveryContext): string[] {
  const configured = context.env.AMP_DATA_DIR;
  const dirs =
    configured === undefined
      ? [xdgDataFolder(context, 'amp'), path.join(context.homeDir, '.local', 'share', 'amp')]
      : commaListFolders(configured, context);
  return dirs.map((dir) => path.join(dir, 'threads'));
}

/**
 * Codebuff's project folders as ccusage reads them: each of `$CODEBUFF_DATA_DIR` (a comma list of channel folders; an
 * entry may name `projects/` itself), else the stable, dev and staging channels `~/.config/manicode{,-dev,-staging}`.
 */
function codebuffProjectRoots(context: DiscoveryContext): string[] {
  const configured = context.env.CODEBUFF_DATA_DIR;
  const channels =
    configured === undefined
      ? ['manicode', 'manicode-dev', 'manicode-staging'].map((channel) => path.join(context.homeDir, '.config', channel))
      : commaListFolders(configured, context);
  return channels.map((dir) => (path.basename(dir) === 'projects' ? dir : path.join(dir, 'projects')));
}

/** Grok Build CLI's session folder as ccusage 20.0.24 reads it: `sessions/` of `$GROK_HOME` (one folder), else of `~/.grok`. */
function grokSessionRoots(context: DiscoveryContext): string[] {
  return [path.join(envFolder(context, 'GROK_HOME') ?? path.join(context.homeDir, '.grok'), 'sessions')];
}

/** Hermes Agent's home folders as ccusage reads them: each of `$HERMES_HOME` (a comma list), else `~/.hermes`. */
function hermesHomes(context: DiscoveryContext): string[] {
  const configured = context.env.HERMES_HOME;
  return configured === undefined ? [path.join(context.homeDir, '.hermes')] : commaListFolders(configured, context);
}

/** ZCode's home folders as ccusage reads them: each of `$ZCODE_HOME` (a comma list; blank entries dropped), else `~/.zcode`. */
function zcodeHomes(context: DiscoveryContext): string[] {
  const configured = commaListFolders(context.env.ZCODE_HOME ?? '', context);
  return configured.length > 0 ? configured : [path.join(context.homeDir, '.zcode')];
}

/**
 * Antigravity CLI's conversation folders as ccusage 20.0.24 reads them: each of `$ANTIGRAVITY_DATA_DIR` (a comma list;
 * set, it alone counts, even blank), else `~/.gemini/antigravity{,-cli,-ide,-backup}` and `~/.config/antigravity`; of
 * each, its `conversations/` folder where there is one, else the folder itself.
 */
function antigravityConversationRoots(context: DiscoveryContext): string[] {
  const configured = context.env.ANTIGRAVITY_DATA_DIR;
  const roots =
    configured === undefined
      ? [...['antigravity', 'antigravity-cli', 'antigravity-ide', 'antigravity-backup'].map((dir) => path.join(context.homeDir, '.gemini', dir)), path.join(context.homeDir, '.config', 'antigravity')]
      : commaListFolders(configured, context);
  return roots.map((root) => (isDirectory(path.join(root, 'conversations')) ? path.join(root, 'conversations') : root));
}

/**
 * Goose's session folders: `$GOOSE_PATH_ROOT/data/sessions` when that is set (Goose's variable, which ccusage reads; set,
 * it alone counts), else Goose's own data folder, etcetera's for `Block`/`goose` (`${XDG_DATA_HOME:-~/.local/share}/goose`
 * on Linux and macOS, `%APPDATA%\Block\goose\data` on Windows), and the other folders ccusage reads.
 */
function gooseSessionRoots(context: DiscoveryContext): string[] {
  const pathRoot = envFolder(context, 'GOOSE_PATH_ROOT');
  if (pathRoot) return [path.join(pathRoot, 'data', 'sessions')];
  const appData = envFolder(context, 'APPDATA') ?? path.join(context.homeDir, 'AppData', 'Roaming');
  return [
    path.join(xdgDataFolder(context, 'goose'), 'sessions'),
    ...(context.platform === 'win32' ? [path.join(appData, 'Block', 'goose', 'data', 'sessions')] : []),
    ...[['.local', 'share', 'goose'], ['Library', 'Application Support', 'goose'], ['.local', 'share', 'Block', 'goose']].map((dirs) =>
      path.join(context.homeDir, ...dirs, 'sessions'),
    ),
  ];
}

/**
 * Kimi Code's session folders: `sessions/` of each folder of `$KIMI_DATA_DIR` (ccusage's comma list; set, it alone
 * counts), else of Kimi Code's own `$KIMI_CODE_HOME`, else of `~/.kimi-code`.
 */
function kimiCodeSessionRoots(context: DiscoveryContext): string[] {
  const configured = context.env.KIMI_DATA_DIR;
  const homes = configured === undefined ? [envFolder(context, 'KIMI_CODE_HOME') ?? path.join(context.homeDir, '.kimi-code')] : commaListFolders(configured, context);
  return homes.map((home) => path.join(home, 'sessions'));
}

/**
 * Crush's global data folder (charmbracelet/crush internal/config/load.go `GlobalConfigData` at
 * 37f36e93824e5c4f892e4a817f7f628e2682fe14): `$CRUSH_GLOBAL_DATA`, else `$XDG_DATA_HOME/crush`, else on Windows
 * `%LOCALAPPDATA%/crush` (or `%USERPROFILE%/AppData/Local/crush`), else `~/.local/share/crush`.
 */
function crushGlobalDataFolder(context: DiscoveryContext): string {
  const { CRUSH_GLOBAL_DATA, XDG_DATA_HOME, LOCALAPPDATA, USERPROFILE } = context.env;
  if (CRUSH_GLOBAL_DATA) return CRUSH_GLOBAL_DATA;
  if (XDG_DATA_HOME) return path.join(XDG_DATA_HOME, 'crush');
  if (context.platform === 'win32') return path.join(LOCALAPPDATA || path.join(USERPROFILE || context.homeDir, 'AppData', 'Local'), 'crush');
  return path.join(context.homeDir, '.local', 'share', 'crush');
}

/** Far above any real list of projects: a larger file is not Crush's. */
const MAX_CRUSH_PROJECTS_BYTES = 4 * 1024 * 1024;
/** The part of Crush's `projects.json` (internal/projects/projects.go `ProjectList`) that locates each project's database. */
const CrushProjectList = z.object({ projects: z.array(z.unknown()) });
const CrushProject = z.object({ data_dir: z.string() });

/**
 * The data folders of every project Crush ran in, from the `projects.json` each local run updates
 * (internal/projects/projects.go `Register`), as `crush stats --all` and tokscale find them. An entry that is not an
 * absolute path is skipped: the file is another tool's, read as untrusted.
 */
function crushProjectDataDirs(context: DiscoveryContext): string[] {
  const file = path.join(crushGlobalDataFolder(context), 'projects.json');
  try {
    const bytes = readRegularFile(file, MAX_CRUSH_PROJECTS_BYTES);
    if (!bytes) return [];
    const list = CrushProjectList.safeParse(JSON.parse(bytes.toString('utf8')));
    if (!list.success) return [];
    return list.data.projects.flatMap((entry) => {
      const project = CrushProject.safeParse(entry);
      return project.success && path.isAbsolute(project.data.data_dir) ? [project.data.data_dir] : [];
    });
  } catch {
    return [];
  }
}

/**
 * Kiro CLI's data folder: `dirs::data_local_dir()/kiro-cli`, as the Amazon Q CLI it grew from keeps `amazon-q`
 * (aws/amazon-q-developer-cli crates/chat-cli/src/util/paths.rs `database_path_static` at
 * 15cc8f3cd18c4272925ce1c7053268eedff1ea0a): `${XDG_DATA_HOME:-~/.local/share}` on Linux, `~/Library/Application
 * Support` on macOS, `%LOCALAPPDATA%` on Windows. tokscale reads `~/.local/share/kiro-cli` and the macOS folder.
 */
function kiroCliDataFolders(context: DiscoveryContext): string[] {
  const localAppData = envFolder(context, 'LOCALAPPDATA') ?? path.join(context.homeDir, 'AppData', 'Local');
  return [
    xdgDataFolder(context, 'kiro-cli'),
    path.join(context.homeDir, '.local', 'share', 'kiro-cli'),
    path.join(context.homeDir, 'Library', 'Application Support', 'kiro-cli'),
    ...(context.platform === 'win32' ? [path.join(localAppData, 'kiro-cli')] : []),
  ];
}

/**
 * OpenClaw's state folders: `$OPENCLAW_DIR` (a comma list, ccusage's variable; set, it alone counts), else OpenClaw's
 * own `$OPENCLAW_STATE_DIR` (or `$CLAWDBOT_STATE_DIR`) and the four folders ccusage reads, `~/.openclaw`,
 * `~/.clawdbot`, `~/.moltbot` and `~/.moldbot` (OpenClaw src/config/paths.ts resolveStateDir; ccusage openclaw/paths.rs).
 * `~` is OpenClaw's home: `$OPENCLAW_HOME` when set (itself `~`-relative to the user's), else the user's
 * (openclaw/openclaw src/infra/home-dir.ts resolveRawHomeDir at 03db3d1d).
 */
function openClawStateRoots(context: DiscoveryContext): string[] {
  const configured = context.env.OPENCLAW_DIR;
  if (configured !== undefined && configured.trim() !== '') return commaListFolders(configured, context);
  const openClawHome = envFolder(context, 'OPENCLAW_HOME') ?? context.homeDir;
  const inOpenClawHome = { ...context, homeDir: openClawHome };
  const stateDir = envFolder(inOpenClawHome, 'OPENCLAW_STATE_DIR') ?? envFolder(inOpenClawHome, 'CLAWDBOT_STATE_DIR');
  return [...(stateDir ? [stateDir] : []), ...['.openclaw', '.clawdbot', '.moltbot', '.moldbot'].map((dir) => path.join(openClawHome, dir))];
}

/**
 * A transcript in an agent's `sessions/` folder, with ccusage's name rule (`.jsonl`, `.jsonl.reset.<time>`,
 * `.jsonl.deleted.<time>`), without the `.trajectory.jsonl` run traces OpenClaw keeps beside them.
 */
const OPENCLAW_SESSION_FILE = /^agents\/[^/]+\/sessions\/[^/]+?\.jsonl(?:\.(?:reset|deleted)\.[^/]+)?$/;

const CLINE_TASK_FILE = /^[^/]+\/ui_messages\.json$/;
/** A variable as Cline reads it: trimmed, empty meaning unset. */
function envFolder(context: DiscoveryContext, variable: string): string | undefined {
  const value = context.env[variable]?.trim();
  return value ? expandHome(value, context.homeDir) : undefined;
}
/**
 * Cline's data folder: `CLINE_DATA_DIR`, else `${CLINE_DIR:-~/.cline}/data` (cline/cline
 * sdk/packages/shared/src/storage/paths.ts resolveClineDir/resolveClineDataDir at 21cb8d25).
 */
function clineDataDir(context: DiscoveryContext): string {
  return envFolder(context, 'CLINE_DATA_DIR') ?? path.join(envFolder(context, 'CLINE_DIR') ?? path.join(context.homeDir, '.cline'), 'data');
}
/** Cline SDK sessions: `CLINE_SESSION_DATA_DIR`, else `<data>/sessions` (paths.ts resolveSessionDataDir). */
function clineSessionRoots(context: DiscoveryContext): string[] {
  return [envFolder(context, 'CLINE_SESSION_DATA_DIR') ?? path.join(clineDataDir(context), 'sessions')];
}
/**
 * Roo Code (and Kilo Code before 7, which inherited the code) write tasks to
 * `<customStoragePath>/tasks` when that setting is set, else to globalStorage (RooCodeInc/Roo-Code
 * src/utils/storage.ts getStorageBasePath/getTaskDirectoryPath at cb836567). Tasks written before
 * the setting was set stay in globalStorage, so both are read.
 */
const taskRoots = (extensionId: string, customStorage?: keyof CustomStoragePaths) => (context: DiscoveryContext) => {
  const custom = customStorage && context.customStoragePaths?.[customStorage]?.trim();
  return [
    ...extensionGlobalStorageDirs(context, extensionId).map((dir) => path.join(dir, 'tasks')),
    ...(custom ? [path.join(expandHome(custom, context.homeDir), 'tasks')] : []),
  ];
};
/** Cline keeps tasks in every editor's globalStorage and, for its CLI and newer builds, in `<data>/tasks`. */
const clineTaskRoots = (context: DiscoveryContext) => [
  ...taskRoots('saoudrizwan.claude-dev')(context),
  path.join(clineDataDir(context), 'tasks'),
];

export const LOG_LOCATIONS = [
  { source: 'claude-code', parserName: 'claudeCode', defaultRoots: claudeProjectRoots, accepts: isJsonl },
  { source: 'codex', parserName: 'codex', defaultRoots: codexSessionRoots, accepts: isJsonl },
  {
    source: 'codex',
    parserName: 'codexCompressed',
    defaultRoots: codexSessionRoots,
    accepts: (relative) => relative.toLowerCase().endsWith('.jsonl.zst'),
    // Codex itself reads the plain file when both exist (a resume decompressed it and is appending).
    superseded: (filePath) => fs.existsSync(filePath.slice(0, -'.zst'.length)),
  },
  {
    source: 'gemini-cli',
    parserName: 'geminiJsonl',
    defaultRoots: geminiRoots,
    accepts: (relative) => /^[^/]+\/chats\/.+\.jsonl$/.test(relative),
    maxDepth: 3,
  },
  {
    source: 'gemini-cli',
    parserName: 'geminiJson',
    defaultRoots: geminiRoots,
    // Subagents of builds 2026-03-26..04-09 wrote the same object to `chats/<parent session>/<session>.json`
    // (google-gemini/gemini-cli chatRecordingService.ts at 104587bae8326e7ad1e2d739b7e14c7665e10b2b).
    accepts: (relative) => /^[^/]+\/chats\/(?:session-[^/]*|[^/]+\/[^/]+)\.json$/.test(relative),
    maxDepth: 3,
  },
  {
    source: 'copilot-chat',
    parserName: 'copilotChatSession',
    defaultRoots: copilotChatRoots,
    accepts: (relative) => /^(?:[^/]+\/chatSessions\/)?[^/]+\.jsonl?$/.test(relative),
    maxDepth: 2,
  },
  {
    source: 'copilot-chat',
    parserName: 'copilotChatOtel',
    defaultRoots: (context) => {
      const file = copilotOtelFile(context);
      return file ? [path.dirname(file)] : [];
    },
    accepts: (relative, context) => {
      const file = copilotOtelFile(context);
      return file !== undefined && relative === path.basename(file);
    },
    maxDepth: 0,
  },
  { source: 'cline', parserName: 'clineTask', defaultRoots: clineTaskRoots, accepts: (r) => CLINE_TASK_FILE.test(r), maxDepth: 1 },
  {
    source: 'cline',
    parserName: 'clineSdkSession',
    defaultRoots: clineSessionRoots,
    accepts: (relative) => /^[^/]+\/[^/]+\.messages\.json$/.test(relative),
    maxDepth: 1,
  },
  { source: 'roo-code', parserName: 'rooCodeTask', defaultRoots: taskRoots('rooveterinaryinc.roo-cline', 'roo-code'), accepts: (r) => CLINE_TASK_FILE.test(r), maxDepth: 1 },
  { source: 'kilo-code', parserName: 'kiloCodeTask', defaultRoots: taskRoots('kilocode.kilo-code', 'kilo-code'), accepts: (r) => CLINE_TASK_FILE.test(r), maxDepth: 1 },
  {
    // Kilo Code ≥ 7 and Kilo CLI (OpenCode's `Global.Path.data`: xdg-basedir's data folder on every OS).
    source: 'kilo-code',
    parserName: 'kiloDb',
    ...opencodeDatabases('kilo', 'KILO_DB', KILO_DB_FILE),
  },
  { source: 'opencode', parserName: 'opencodeDb', ...opencodeDatabases('opencode', 'OPENCODE_DB', OPENCODE_DB_FILE) },
  {
    // OpenCode before 1.2; the files stay after 1.2 copies them into its database (same message ids).
    source: 'opencode',
    parserName: 'opencodeMessageFile',
    defaultRoots: (context) => [path.join(xdgDataFolder(context, 'opencode'), 'storage', 'message')],
    accepts: (relative) => /^[^/]+\/[^/]+\.json$/.test(relative),
    maxDepth: 1,
  },
  {
    source: 'continue',
    parserName: 'continueTokens',
    defaultRoots: (context) => [path.join(homeFromEnv(context, 'CONTINUE_GLOBAL_DIR', '.continue'), 'dev_data')],
    accepts: (relative) => /^[^/]+\/tokensGenerated\.jsonl$/.test(relative),
    maxDepth: 1,
  },
  {
    source: 'qwen-code',
    parserName: 'qwenChat',
    defaultRoots: (context) => qwenRuntimeDirs(context).map((dir) => path.join(dir, 'projects')),
    accepts: (relative) => QWEN_CHAT_FILE.test(relative),
    maxDepth: 3,
  },
  {
    // Qwen Code 0.1, which always wrote to `~/.qwen`.
    source: 'qwen-code',
    parserName: 'qwenSessionFile',
    defaultRoots: (context) => [path.join(context.homeDir, '.qwen', 'tmp')],
    accepts: (relative) => /^[^/]+\/chats\/session-[^/]+\.json$/.test(relative),
    maxDepth: 2,
  },
  {
    source: 'pi-agent',
    parserName: 'piSession',
    defaultRoots: piSessionRoots,
    accepts: (relative) => /^(?:[^/]+\/)?[^/]+_[^/]+\.jsonl$/.test(relative),
    maxDepth: 1,
  },
  {
    source: 'factory-droid',
    parserName: 'droidSettings',
    defaultRoots: droidSessionRoots,
    accepts: (relative) => relative.endsWith(DROID_SETTINGS_SUFFIX),
  },
  {
    // ccusage reads every `.json` below `threads/`; Amp writes them there directly (its `.amptmp` files are not read).
    source: 'amp',
    parserName: 'ampThread',
    defaultRoots: ampThreadRoots,
    accepts: (relative) => relative.toLowerCase().endsWith('.json'),
  },
  {
    // ccusage reads every `chat-messages.json` below `projects/`; Codebuff writes `<project>/chats/<chat id>/`.
    source: 'codebuff',
    parserName: 'codebuffChat',
    defaultRoots: codebuffProjectRoots,
    accepts: (relative) => relative === CODEBUFF_CHAT_FILE || relative.endsWith(`/${CODEBUFF_CHAT_FILE}`),
  },
  {
    source: 'hermes',
    parserName: 'hermesState',
    defaultRoots: hermesHomes,
    accepts: (relative) => relative === HERMES_STATE_DB,
    maxDepth: 0,
  },
  {
    // OpenClaw since it keeps transcripts in SQLite, one database per agent.
    source: 'openclaw',
    parserName: 'openClawDb',
    defaultRoots: openClawStateRoots,
    accepts: (relative) => /^agents\/[^/]+\/agent\/openclaw-agent\.sqlite$/.test(relative),
    maxDepth: 3,
  },
  {
    // Older OpenClaw releases; ccusage reads every such file below the state folder, whose `workspace/` holds the user's own files.
    source: 'openclaw',
    parserName: 'openClawSession',
    defaultRoots: openClawStateRoots,
    accepts: (relative) => OPENCLAW_SESSION_FILE.test(relative) && !relative.endsWith('.trajectory.jsonl'),
    maxDepth: 3,
  },
  {
    // ccusage reads every `updates.jsonl` below `sessions/`; Grok writes `<project>/<session>/updates.jsonl`.
    source: 'grok-build',
    parserName: 'grokUpdates',
    defaultRoots: grokSessionRoots,
    accepts: (relative) => relative === 'updates.jsonl' || relative.endsWith('/updates.jsonl'),
  },
  {
    // ccusage reads `session-state/<session>/events.jsonl` of `$COPILOT_HOME`, else `~/.copilot`.
    source: 'copilot-cli',
    parserName: 'copilotCliEvents',
    defaultRoots: (context) => [path.join(homeFromEnv(context, 'COPILOT_HOME', '.copilot'), 'session-state')],
    accepts: (relative) => relative.endsWith(`/${COPILOT_CLI_EVENTS_FILE}`),
    maxDepth: 1,
  },
  {
    source: 'zcode',
    parserName: 'zcodeDb',
    defaultRoots: zcodeHomes,
    accepts: (relative) => relative === ZCODE_DB,
    maxDepth: 2,
  },
  {
    source: 'goose',
    parserName: 'gooseSessions',
    defaultRoots: gooseSessionRoots,
    accepts: (relative) => relative === GOOSE_SESSIONS_DB,
    maxDepth: 0,
  },
  {
    // `<work dir key>/<session>/agents/<agent>/wire.jsonl`; the Python Kimi CLI's logs (in `~/.kimi`, which
    // `$KIMI_DATA_DIR` may name) are `kimi-cli`'s.
    source: 'kimi-code',
    parserName: 'kimiCodeWire',
    defaultRoots: kimiCodeSessionRoots,
    accepts: (relative) => /^[^/]+\/[^/]+\/agents\/[^/]+\/wire\.jsonl$/.test(relative),
    maxDepth: 4,
  },
  {
    // A session's `<work dir hash>/<session>/wire.jsonl` and its subagents' `subagents/<agent>/wire.jsonl`.
    source: 'kimi-cli',
    parserName: 'kimiCliWire',
    defaultRoots: (context) => [path.join(envFolder(context, 'KIMI_SHARE_DIR') ?? path.join(context.homeDir, '.kimi'), 'sessions')],
    accepts: (relative) => /^[^/]+\/[^/]+\/(?:subagents\/[^/]+\/)?wire\.jsonl$/.test(relative),
    maxDepth: 4,
  },
  {
    // Each project's data folder holds `crush.db`, a project folder named in assay.import.folders holds it in `.crush/`.
    // The global data folder holds none: it is searched so that Crush counts as found, and watched for the
    // `projects.json` a new project changes.
    source: 'crush',
    parserName: 'crushDb',
    defaultRoots: (context) => [crushGlobalDataFolder(context), ...crushProjectDataDirs(context)],
    accepts: (relative) => relative === CRUSH_DB || relative === `.crush/${CRUSH_DB}`,
    maxDepth: 1,
  },
  {
    // ccusage reads every `.db` below a conversations folder (one database per conversation).
    source: 'antigravity',
    parserName: 'antigravityConversation',
    defaultRoots: antigravityConversationRoots,
    accepts: (relative) => relative.endsWith('.db'),
  },
  {
    source: 'kiro',
    parserName: 'kiroCliDb',
    defaultRoots: kiroCliDataFolders,
    accepts: (relative) => relative === KIRO_CLI_DB,
    maxDepth: 0,
  },
  {
    // Kiro CLI's second agent engine, as tokscale reads it: every `.json` in `~/.kiro/sessions/cli`.
    source: 'kiro',
    parserName: 'kiroCliSession',
    defaultRoots: (context) => [path.join(context.homeDir, '.kiro', 'sessions', 'cli')],
    accepts: (relative) => /^[^/]+\.json$/.test(relative),
    maxDepth: 0,
  },
] as const satisfies readonly LogLocation[];

/** The parser of each kind of log, by name (sourceDefinitions.ts joins them to their locations). */
export type ParserName = (typeof LOG_LOCATIONS)[number]['parserName'];

function isDirectory(folder: string): boolean {
  try {
    // Most folders looked for are missing (tools not installed): a thrown error for each cost a run with nothing new 2 to 4 ms.
    return fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false;
  }
}

/**
 * Entries one root folder's search looks at, at most. A root is a setting or a variable (`assay.import.folders`,
 * `--claude-config-dir`, `CLAUDE_CONFIG_DIR`): one naming the home folder or `/` would otherwise make every import,
 * each a few minutes apart, walk the whole disk before reading a line. Far above any tool's own folder (the 500 MB bench
 * corpus is 825 files; VS Code's workspaceStorage of a long-used install, tens of thousands of entries). Walking `/` up to
 * the bound took 5.4 s on the test machine's overlay file system: a bounded cost, and the run's warning says to fix it.
 */
export const MAX_WALK_ENTRIES = 500_000;

/** One line per source with root folders too large to search whole (CLI warnings, the editor's log). */
export function searchWarnings(sources: readonly { source: string; foldersCutShort: number }[]): string[] {
  return sources
    .filter(({ foldersCutShort }) => foldersCutShort > 0)
    .map(
      ({ source, foldersCutShort: count }) =>
        `${source}: ${count} log ${count === 1 ? 'folder holds' : 'folders hold'} more than ${MAX_WALK_ENTRIES.toLocaleString('en-US')} entries, ` +
        `so only ${count === 1 ? 'its' : 'their'} first ones were searched: name the tool's own log folder instead (assay.import.folders, or the command's folder options).`,
    );
}

/** The files below a root folder (paths relative to it, with `/` separators); `whole` false when MAX_WALK_ENTRIES stopped the search. */
interface FolderListing {
  files: string[];
  whole: boolean;
}

/**
 * The files below `root`, at most `maxDepth` folder levels down; symlinked folders are not followed (no cycles, no
 * escapes). Stops at `maxEntries` entries, with the files found by then.
 */
function walk(root: string, maxDepth: number, maxEntries: number): FolderListing {
  const files: string[] = [];
  const pending: [string, number][] = [['', 0]];
  let entriesLeft = maxEntries;
  while (pending.length > 0) {
    const [relativeDir, depth] = pending.pop() as [string, number];
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, relativeDir), { withFileTypes: true });
    } catch {
      continue;
    }
    entriesLeft -= entries.length;
    if (entriesLeft < 0) return { files, whole: false };
    for (const entry of entries) {
      const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (depth < maxDepth) pending.push([relative, depth + 1]);
      }
      else if (entry.isFile()) files.push(relative);
    }
  }
  return { files, whole: true };
}

export interface DiscoverOptions<Location extends LogLocation = SourceDefinition> {
  definitions: readonly Location[];
  context: DiscoveryContext;
  /** Explicit folders per source; they replace that source's default roots. */
  roots?: Partial<Record<UsageSource, string[]>>;
  /** When false, only sources with explicit folders are read. */
  discover: boolean;
  /** Entries searched per root folder at most (default MAX_WALK_ENTRIES). */
  maxWalkEntries?: number;
}

/** A source's folders: the explicit ones, else (when discovering) its defaults. */
function rootsOf(definition: LogLocation, options: DiscoverOptions<LogLocation>): string[] {
  const explicit = options.roots?.[definition.source];
  if (explicit && explicit.length > 0) return explicit.map((root) => expandHome(root, options.context.homeDir));
  return options.discover ? definition.defaultRoots(options.context) : [];
}

/** The root folders an import would search, existing or not: what the editor watches for new logs. */
export function searchRoots(options: DiscoverOptions<LogLocation>): string[] {
  return [...new Set(options.definitions.flatMap((definition) => rootsOf(definition, options)))];
}

export function discoverFiles(options: DiscoverOptions): DiscoveryResult {
  const files: DiscoveredFile[] = [];
  const foundSources = new Set<UsageSource>();
  // A folder several locations search (OpenClaw's sessions and database, a folder named in assay.import.folders) is
  // listed once, and counted once as cut short.
  const listings = new Map<string, FolderListing>();
  const cutShort = new Map<UsageSource, Set<string>>();
  const covering = new Set(options.definitions.flatMap((definition) => (definition.coveredBy ? [definition.coveredBy.parserName] : [])));
  for (const definition of options.definitions) {
    const roots = rootsOf(definition, options);
    const seenRoots = new Set<string>();
    const skipFrom = roots.length > 0 ? definition.coveredFrom?.(options.context) : undefined;
    const coverage = {
      ...(skipFrom !== undefined ? { skipFrom } : {}),
      ...(definition.coveredBy ? { coveredBy: definition.coveredBy } : {}),
      ...(covering.has(definition.parserName) ? { covering: definition.parserName } : {}),
    };
    for (const root of roots) {
      const resolved = path.resolve(root);
      if (seenRoots.has(resolved) || !isDirectory(resolved)) continue;
      seenRoots.add(resolved);
      foundSources.add(definition.source);
      const maxDepth = definition.maxDepth ?? Infinity;
      const listingKey = `${maxDepth}\u0000${resolved}`;
      let listing = listings.get(listingKey);
      if (!listing) {
        listing = walk(resolved, maxDepth, options.maxWalkEntries ?? MAX_WALK_ENTRIES);
        listings.set(listingKey, listing);
      }
      if (!listing.whole) cutShort.set(definition.source, (cutShort.get(definition.source) ?? new Set()).add(resolved));
      for (const relative of listing.files) {
        if (!definition.accepts(relative, options.context)) continue;
        const file = path.join(resolved, relative);
        if (definition.superseded?.(file)) continue;
        files.push({ source: definition.source, parser: definition.parser, path: file, ...coverage });
      }
    }
  }
  const foldersCutShort: Partial<Record<UsageSource, number>> = {};
  for (const [source, roots] of cutShort) foldersCutShort[source] = roots.size;
  return { files, foundSources, foldersCutShort };
}
