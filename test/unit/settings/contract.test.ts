// package.json's `contributes.configuration` is what the Settings editor shows and validates;
// src/settings/schema.ts is what Assay actually uses. Each setting's package.json schema is
// turned into probe values (valid samples, each bound and one step past it, wrong types), and the
// zod schema must keep exactly the values package.json accepts, as given.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { UsageSource } from '../../../src/ledger/events';
import { parseSettings, SETTING_KEYS, SETTINGS_APPLIED_ON_RELOAD, type SettingKey } from '../../../src/settings/schema';

interface JsonSchema {
  type?: 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';
  default?: unknown;
  description?: string;
  markdownDescription?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: { enum?: string[]; maxLength?: number; pattern?: string };
  enum?: unknown[];
}

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, JsonSchema> } };
};
const PREFIX = 'assay.';
const contributed = new Map(
  Object.entries(manifest.contributes.configuration.properties).map(([name, schema]) => [name.slice(PREFIX.length), schema]),
);

type Probe = [value: unknown, valid: boolean];

/** A value the package.json schema accepts. */
function sample(schema: JsonSchema): unknown {
  switch (schema.type) {
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return Math.min(schema.minimum ?? 1, schema.maximum ?? Infinity);
    case 'string':
      return schema.enum?.[0] ?? 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => sample(schema.items ?? {}));
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const name of schema.required ?? []) value[name] = sample(schema.properties?.[name] ?? {});
      return value;
    }
    default:
      throw new Error(`package.json setting schema without a type: ${JSON.stringify(schema)}`);
  }
}

/** Values around every rule package.json states, each with whether package.json accepts it. */
function probes(schema: JsonSchema): Probe[] {
  switch (schema.type) {
    case 'boolean':
      return [[true, true], [false, true], ['true', false]];
    case 'integer':
    case 'number': {
      const step = schema.type === 'integer' ? 1 : 0.5;
      const { minimum, maximum } = schema;
      const base = sample(schema) as number;
      const within = base + 0.5 <= (maximum ?? Infinity);
      return [
        [base, true],
        ...(minimum === undefined ? [[-1e9, true] as Probe] : [[minimum, true], [minimum - step, false]] as Probe[]),
        ...(maximum === undefined ? [[1e9, true] as Probe] : [[maximum, true], [maximum + step, false]] as Probe[]),
        ...(within ? [[base + 0.5, schema.type === 'number'] as Probe] : []),
        [String(base), false],
      ];
    }
    case 'string': {
      const { minLength = 0, maxLength, pattern } = schema;
      const lengths: Probe[] = [
        [sample(schema), true],
        ...(minLength > 0 ? [['x'.repeat(minLength - 1), false] as Probe] : [['', true] as Probe]),
        ...(maxLength === undefined ? [['x'.repeat(10_000), true] as Probe] : [['x'.repeat(maxLength), true], ['x'.repeat(maxLength + 1), false]] as Probe[]),
      ];
      const matches = (value: unknown) => pattern === undefined || new RegExp(pattern, 'u').test(String(value));
      return [...lengths.map(([value, valid]): Probe => [value, valid && matches(value)]), [1, false]];
    }
    case 'array': {
      const item = schema.items ?? {};
      const { minItems = 0, maxItems } = schema;
      const filler = Array.from({ length: Math.max(0, minItems - 1) }, () => sample(item));
      return [
        [[], minItems === 0],
        ...(maxItems === undefined
          ? [[Array.from({ length: 1_000 }, () => sample(item)), true] as Probe]
          : [[Array.from({ length: maxItems }, () => sample(item)), true], [Array.from({ length: maxItems + 1 }, () => sample(item)), false]] as Probe[]),
        ...probes(item).map(([value, valid]): Probe => [[...filler, value], valid]),
        ['not a list', false],
      ];
    }
    case 'object': {
      const base = sample(schema) as Record<string, unknown>;
      const result: Probe[] = [[base, true], ['not an object', false], [[], false]];
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        for (const [value, valid] of probes(property)) result.push([{ ...base, [name]: value }, valid]);
      }
      for (const name of schema.required ?? []) {
        const { [name]: _left, ...without } = base;
        result.push([without, false]);
      }
      if (schema.additionalProperties === false) result.push([{ ...base, notAField: 1 }, false]);
      if (typeof schema.additionalProperties === 'object') {
        const entry = schema.additionalProperties;
        const names = schema.propertyNames?.enum ?? ['x'];
        for (const name of names) result.push([{ [name]: sample(entry) }, true]);
        for (const [value, valid] of probes(entry)) result.push([{ [names[0]]: value }, valid]);
        if (schema.propertyNames?.enum) result.push([{ 'not-listed': sample(entry) }, false]);
        if (schema.propertyNames?.maxLength !== undefined) {
          result.push([{ ['x'.repeat(schema.propertyNames.maxLength + 1)]: sample(entry) }, false]);
        }
      }
      return result;
    }
    default:
      throw new Error(`package.json setting schema without a type: ${JSON.stringify(schema)}`);
  }
}

function contributedSchema(key: SettingKey): JsonSchema {
  const schema = contributed.get(key);
  assert.ok(schema, `assay.${key} is missing from package.json`);
  return schema;
}

describe('settings contract: package.json and src/settings/schema.ts', () => {
  it('declare the same settings', () => {
    assert.deepEqual([...contributed.keys()].sort(), [...SETTING_KEYS].sort());
  });

  it('have the same defaults', () => {
    const defaults = parseSettings({});
    for (const key of SETTING_KEYS) assert.deepEqual(defaults[key], contributedSchema(key).default, `default of assay.${key}`);
  });

  it('keep the same values as given and no others (bounds, whole numbers, lengths, fields)', () => {
    const disagreements: string[] = [];
    for (const key of SETTING_KEYS) {
      for (const [value, valid] of probes(contributedSchema(key))) {
        if (isDeepStrictEqual(parseSettings({ [key]: value })[key], value) === valid) continue;
        disagreements.push(`assay.${key} = ${JSON.stringify(value).slice(0, 80)}: package.json says ${valid ? 'valid' : 'not valid'}`);
      }
    }
    assert.deepEqual(disagreements, []);
  });

  it('replace a number, text or switch that package.json rejects with the documented default', () => {
    for (const key of SETTING_KEYS) {
      const schema = contributedSchema(key);
      if (schema.type === 'object' || schema.type === 'array') continue;
      for (const [value, valid] of probes(schema)) {
        if (!valid) assert.deepEqual(parseSettings({ [key]: value })[key], schema.default, `assay.${key} = ${JSON.stringify(value)}`);
      }
    }
  });

  it('list the same tools as import sources', () => {
    assert.deepEqual([...(contributedSchema('import.folders').propertyNames?.enum ?? [])].sort(), [...UsageSource.options].sort());
  });

  it('say "after a window reload" for exactly the settings Assay offers a reload for', () => {
    for (const key of SETTING_KEYS) {
      const schema = contributedSchema(key);
      const text = schema.description ?? schema.markdownDescription ?? '';
      assert.equal(/after a window reload/.test(text), SETTINGS_APPLIED_ON_RELOAD.includes(key), `description of assay.${key}`);
    }
  });
});
