// Where the dashboard's figures come from: the incremental daily rollup of the ledger, priced
// with the user's price settings, plus seats and value settings. No `vscode` import: the panel
// passes settings in, so this runs the same under mocha and in benchmarks.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import { addDays, dateList, localDate } from '../calendar/dates';
import { LOG_LOCATIONS, type DiscoveryContext } from '../importers/discovery';
import type { RecentRollup } from '../report/recentRollup';
import { loadDailyRollup, type DailyRollupResult } from '../report/rollupCache';
import type { RollupLoader } from '../report/rollupOffThread';
import { loadConfiguredPricer } from '../pricing/configuredPricer';
import type { ModelPricer } from '../pricing/pricer';
import { withLocalModelCost } from '../money/localModels';
import { isInlinePlan, sourcesOfPlan } from '../money/subscriptions';
import { resolveSeats, seatCostForDay } from '../pricing/seats';
import { estimateValue } from '../pricing/value';
import { suggestWhatIfModels, whatIfCost } from '../pricing/whatIf';
import { priceUsageRows } from '../report/rollup';
import { valueSettingsFrom, type Settings } from '../settings/schema';
import type { ImportSourceStatus, ViewModel, WebviewState } from './protocol';
import type { DashboardEconomics } from './inputs';
import { existingFolders, foldersBySource, importSourceStatuses, type ImportSourceSummary } from './importSources';
import { financeExport, type FinanceExport } from './financeExport';
import type { StatusBarWarning } from '../money/warnings';
import { dashboardMoney, loadRecentMoneyEvents, moneyWarning, type RecentMoneyEvents } from './moneySource';
import { resolveRange } from './range';
import { buildViewModel } from './viewModel';

export interface DashboardSourceOptions {
  storageDir: string;
  timeZone: string;
  /** The editor's display language (`vscode.env.language`): numbers are formatted in it. */
  locale: string;
  getSettings(): Settings;
  /** What the latest import in this window read from each source; empty before the first import. */
  importSources?(): readonly ImportSourceSummary[];
  /**
   * Where imports look: the environment and other tools' settings that move their logs, as the import is given them
   * (the editor adds Copilot Chat's and Roo/Kilo's settings). Default: this process's environment and home folder.
   */
  discoveryContext?(): DiscoveryContext;
  /** Writes this window's buffered events first, so a live update includes what it was told of. */
  beforeLoad?(): Promise<void>;
  /** How the rollup is loaded: the editor rebuilds it off its thread (rollupOffThread.ts). Default loadDailyRollup. */
  loadRollup?: RollupLoader;
  now?(): number;
}

const VALUE_SETTING_KEYS = ['assay.value.typingCharsPerMinute', 'assay.value.minutesPerResponse', 'assay.value.minutesPerKeptLine', 'assay.value.hourlyCostUSD'];

interface PricerEntry {
  key: string;
  pricer: ModelPricer;
  notice: string | null;
}

export class DashboardSource {
  private pricerEntry: PricerEntry | undefined;

  constructor(private readonly options: DashboardSourceOptions) {}

  /**
   * The view model of `state`. When the whole ledger must be rebuilt first (seconds on a year of heavy
   * use), `onFirstData` gets a model of the recent days within about a second, marked as partial.
   */
  async load(state: WebviewState, onFirstData?: (model: ViewModel) => void): Promise<ViewModel> {
    await this.options.beforeLoad?.();
    const { storageDir, timeZone } = this.options;
    const settings = this.options.getSettings();
    const loadRollup = this.options.loadRollup ?? loadDailyRollup;
    const now = this.options.now?.() ?? Date.now();
    const pricing = this.pricer(settings);
    const sources = this.agentLogSources(settings);
    const since = firstDataSince(state, now, timeZone);
    const recentFirst = onFirstData && resolveRange(state.range, now, timeZone, []).to >= since && {
      since,
      onRows: (recent: RecentRollup) => {
        void Promise.all([pricing, sources]).then(([priced, statuses]) => {
          const olderDays = state.range.preset === 'all' || resolveRange(state.range, now, timeZone, []).from < since;
          const notice = olderDays ? [`Showing ${since} onwards while Assay reads the rest of its ledger (a first load after an update takes a few seconds).`] : [];
          onFirstData(this.model(state, settings, priced, { inline: recent.inline, usage: recent.usage, invalidLines: 0, tornLines: 0 }, now, notice, statuses));
        });
      },
    };
    const recentMoney = pricing.then((priced) => loadRecentMoneyEvents(storageDir, priced.pricer, now));
    const [rollup, priced, recent, statuses] = await Promise.all([loadRollup(storageDir, { timeZone, ...(recentFirst ? { recentFirst } : {}) }), pricing, recentMoney, sources]);
    return this.model(state, settings, priced, rollup, now, [], statuses, recent);
  }

  /** The range's cost figures per day and month, tool, model and plan, for "Export figures…" (financeExport.ts). */
  async financeExport(range: WebviewState['range']): Promise<FinanceExport> {
    await this.options.beforeLoad?.();
    const { storageDir, timeZone } = this.options;
    const settings = this.options.getSettings();
    const now = this.options.now?.() ?? Date.now();
    const [rollup, priced] = await Promise.all([(this.options.loadRollup ?? loadDailyRollup)(storageDir, { timeZone }), this.pricer(settings)]);
    const usage = priceUsageRows(rollup.usage, priced.pricer);
    const { from, to } = resolveRange(range, now, timeZone, [...rollup.inline, ...usage].map((row) => row.date));
    return financeExport(usage, resolveSeats(settings.seats).seats, dateList(from, to), timeZone);
  }

  /** Budgets and plan limits at 80 % or more, for the status bar; reset times written by `formatTime`. */
  async moneyWarning(formatTime: (epochMs: number) => string): Promise<StatusBarWarning> {
    const { storageDir, timeZone } = this.options;
    const settings = this.options.getSettings();
    const now = this.options.now?.() ?? Date.now();
    const [rollup, priced] = await Promise.all([(this.options.loadRollup ?? loadDailyRollup)(storageDir, { timeZone }), this.pricer(settings)]);
    const recent = await loadRecentMoneyEvents(storageDir, priced.pricer, now);
    const usage = priceUsageRows(rollup.usage, priced.pricer);
    return moneyWarning(usage, settings, resolveSeats(settings.seats).seats, recent, localDate(now, timeZone), firstDate(rollup), now, formatTime);
  }

  private model(
    state: WebviewState,
    settings: Settings,
    priced: PricerEntry,
    rollup: Pick<DailyRollupResult, 'inline' | 'usage' | 'invalidLines' | 'tornLines'>,
    now: number,
    extraNotices: readonly string[],
    importSources: readonly ImportSourceStatus[],
    recentMoney?: RecentMoneyEvents,
  ): ViewModel {
    const { timeZone } = this.options;
    const { pricer } = priced;
    const usage = priceUsageRows(rollup.usage, pricer);
    const { seats, unknownPlans } = resolveSeats(settings.seats);
    const valueSettings = valueSettingsFrom(settings);
    const inlineSeats = seats.filter((seat) => isInlinePlan(seat.plan));

    // Suggested what-if targets follow the models used, largest spend first.
    const spendByModel = new Map<string, number>();
    for (const row of usage) spendByModel.set(row.model, (spendByModel.get(row.model) ?? 0) + (row.costUSD ?? 0));
    const usedModels = [...spendByModel.entries()].sort((a, b) => b[1] - a[1]).map(([model]) => model);
    // A model run locally is priced at what its hardware and power cost, never $0 (docs/money.md, What-if).
    const whatIfPricer = withLocalModelCost(pricer, settings['pricing.localModelUSDPerMTok']);
    const whatIfModels = suggestWhatIfModels(usedModels, whatIfPricer, settings['pricing.whatIfModels']);

    const economics: DashboardEconomics = {
      seatCostUSD: (date) => seatCostForDay(date, seats),
      inlineSeatCostUSD: (date) => seatCostForDay(date, inlineSeats),
      planCoveredSources: new Set(seats.flatMap((seat) => sourcesOfPlan(seat.plan))),
      estimateValue: (inputs) => estimateValue(inputs, valueSettings),
      valueSettings,
      valueSettingKeys: VALUE_SETTING_KEYS,
      whatIf: (rows) => whatIfModels.map((model) => whatIfCost(rows, model, whatIfPricer)),
      priceName: (model) => pricer.normalizeModel(model),
    };
    const notices: string[] = [...extraNotices];
    if (priced.notice) notices.push(priced.notice);
    if (unknownPlans.length > 0) {
      notices.push(`No price for the seat plans ${unknownPlans.join(', ')}: set monthlyUSD for them in assay.seats.`);
    }
    return buildViewModel({
      inline: rollup.inline,
      usage,
      economics,
      range: state.range,
      filters: state.filters,
      timeZone,
      locale: this.options.locale,
      now,
      checkpoints: settings['retention.checkpointsSeconds'],
      captureEnabled: settings['capture.enabled'],
      invalidLines: rollup.invalidLines + rollup.tornLines,
      notices,
      importSources,
      ...(recentMoney ? { money: dashboardMoney(settings, seats, recentMoney, firstDate(rollup)) } : {}),
    });
  }

  /** Every source with its folders, found if one exists now (a tool installed since the last import shows at once). */
  private async agentLogSources(settings: Settings): Promise<ImportSourceStatus[]> {
    const context = this.options.discoveryContext?.() ?? { env: process.env, homeDir: os.homedir(), platform: process.platform };
    const folders = foldersBySource({
      definitions: LOG_LOCATIONS,
      context,
      roots: settings['import.folders'],
      discover: settings['import.discover'],
    });
    const existing = await existingFolders([...folders.values()].flat());
    return importSourceStatuses(folders, existing, this.options.importSources?.() ?? [], context.homeDir);
  }

  /** One pricer per price configuration: building one parses the whole price snapshot. */
  private async pricer(settings: Settings): Promise<PricerEntry> {
    const overrides = settings['pricing.overrides'];
    const priceFile = settings['pricing.priceFile'];
    const stamp = priceFile ? await fs.stat(priceFile).then((s) => `${s.size}:${s.mtimeMs}`, () => 'missing') : '';
    const key = JSON.stringify([overrides, priceFile, stamp]);
    if (this.pricerEntry?.key === key) return this.pricerEntry;
    const { pricer, notice } = await loadConfiguredPricer({ overrides, priceFile });
    this.pricerEntry = { key, pricer, notice };
    return this.pricerEntry;
  }
}

function firstDate(rollup: Pick<DailyRollupResult, 'inline' | 'usage'>): string | null {
  let first: string | null = null;
  for (const row of [...rollup.inline, ...rollup.usage]) if (first === null || row.date < first) first = row.date;
  return first;
}

/** Days a first look at a cold ledger covers when the range reaches further back (or is "all"). */
const FIRST_DATA_DAYS = 7;

/** The first day of the range, but no more than FIRST_DATA_DAYS back: the recent rows come first. */
function firstDataSince(state: WebviewState, now: number, timeZone: string): string {
  const floor = addDays(localDate(now, timeZone), 1 - FIRST_DATA_DAYS);
  if (state.range.preset === 'all') return floor;
  const { from } = resolveRange(state.range, now, timeZone, []);
  return from > floor ? from : floor;
}
