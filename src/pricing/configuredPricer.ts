// The pricer as the user configured it: bundled snapshot, then their price file, then per-model
// overrides. Shared by the dashboard, the import worker and the CLI (`--price-file`; the CLI cannot
// read the editor's settings, so it has no overrides) so they price alike.
import * as fs from 'node:fs/promises';
import { createPricer, type ModelPricer } from './pricer';
import { bundledPriceData, loadPriceFile, mergePriceData, unappliedTiersNotice } from './priceData';
import type { PriceOverrides } from './overrides';

export interface PricingConfiguration {
  overrides: PriceOverrides;
  /** Path of a LiteLLM-format price file, or empty for none. */
  priceFile: string;
}

export interface ConfiguredPricer {
  pricer: ModelPricer;
  /**
   * Why the price file was not used, for the user: never the file's path or prices, but it may quote (cut short) the
   * model names of the entries it refused, so that the user can find them in their own file.
   */
  notice: string | null;
}

export async function loadConfiguredPricer(configuration: PricingConfiguration): Promise<ConfiguredPricer> {
  let priceData = bundledPriceData();
  let notice: string | null = null;
  if (configuration.priceFile) {
    const loaded = await fs.readFile(configuration.priceFile, 'utf8').then(loadPriceFile, (error: NodeJS.ErrnoException) => ({
      ok: false as const,
      error: error.code ?? 'unreadable',
    }));
    if (loaded.ok) {
      priceData = mergePriceData(priceData, loaded.data);
      notice = unappliedTiersNotice(loaded.unappliedTiers);
    } else {
      notice = `The price file in assay.pricing.priceFile could not be used (${loaded.error}); bundled prices apply.`;
    }
  }
  return { pricer: createPricer({ priceData, overrides: configuration.overrides }), notice };
}
