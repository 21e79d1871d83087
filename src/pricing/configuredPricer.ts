// The pricer as the user configured it: bundled snapshot, then their price file, then per-model
// overrides. Shared by the dashboard, the import worker and the CLI (`--price-file`; the CLI cannot
// read the editor's settings, so it has no overrides) so they price alike.
import { readRegularFileAsync } from '../files/boundedRead';
import { createPricer, type ModelPricer } from './pricer';
import { bundledPriceData, loadPriceFile, mergePriceData, unappliedTiersNotice, type PriceFileResult } from './priceData';
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

/**
 * LiteLLM's whole price list is a few megabytes. The bound, and reading only a regular file, keep a price file
 * setting that names /dev/zero, a FIFO or a huge file from filling memory or waiting for good.
 */
const MAX_PRICE_FILE_BYTES = 32 * 1024 * 1024;

/** The price file at `filePath`, read within the bound and checked: what the settings and *Load Price File…* use. */
export async function readPriceFile(filePath: string): Promise<PriceFileResult> {
  let bytes: Buffer | undefined;
  try {
    bytes = await readRegularFileAsync(filePath, MAX_PRICE_FILE_BYTES);
  } catch (error) {
    return { ok: false, error: (error as NodeJS.ErrnoException).code ?? 'unreadable' };
  }
  if (!bytes) return { ok: false, error: `not a regular file of at most ${MAX_PRICE_FILE_BYTES / 1024 / 1024} MB` };
  return loadPriceFile(bytes.toString('utf8'));
}

export async function loadConfiguredPricer(configuration: PricingConfiguration): Promise<ConfiguredPricer> {
  let priceData = bundledPriceData();
  let notice: string | null = null;
  if (configuration.priceFile) {
    const loaded = await readPriceFile(configuration.priceFile);
    if (loaded.ok) {
      priceData = mergePriceData(priceData, loaded.data);
      notice = unappliedTiersNotice(loaded.unappliedTiers);
    } else {
      notice = `The price file in assay.pricing.priceFile could not be used (${loaded.error}); bundled prices apply.`;
    }
  }
  return { pricer: createPricer({ priceData, overrides: configuration.overrides }), notice };
}
