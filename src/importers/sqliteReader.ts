// Reads another tool's SQLite database without ever writing to it: the file's bytes (and its
// write-ahead log's committed frames, where the tool's recent writes live until a checkpoint) are
// copied into memory and opened there with sql.js (SQLite compiled to WebAssembly: no native module,
// nothing downloaded at install). Loaded only by the import worker and the CLI, never by the
// extension host: the WebAssembly module is ~650 KB.
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { MAX_WHOLE_FILE_BYTES } from './usageBounds';
import { decompressZstd } from './zstd';
import type { SqliteQuery } from './types';

const WASM_FILE = 'sql-wasm.wasm';
const WAL_HEADER_BYTES = 32;
const WAL_FRAME_HEADER_BYTES = 24;
const WAL_MAGIC = [0x377f0682, 0x377f0683];

let sqlJs: ReturnType<typeof initSqlJs> | undefined;

/** The bundle ships the wasm beside it (esbuild.mjs copies it); compiled tests find it in node_modules. */
function wasmPath(): string {
  const beside = path.join(__dirname, WASM_FILE);
  return fs.existsSync(beside) ? beside : require.resolve(`sql.js/dist/${WASM_FILE}`);
}

function loadSqlJs(): ReturnType<typeof initSqlJs> {
  sqlJs ??= initSqlJs({ locateFile: () => wasmPath() });
  return sqlJs;
}

/**
 * The database as a reader would see it: the main file with the WAL's committed frames applied
 * (frames of the current WAL generation, i.e. matching salts, up to the last commit frame).
 */
function withWal(db: Buffer, wal: Buffer | undefined): Buffer {
  let image = db;
  if (wal && wal.length >= WAL_HEADER_BYTES && WAL_MAGIC.includes(wal.readUInt32BE(0))) {
    const pageSize = wal.readUInt32BE(8);
    const salt1 = wal.readUInt32BE(16);
    const salt2 = wal.readUInt32BE(20);
    const frameBytes = WAL_FRAME_HEADER_BYTES + pageSize;
    const committed: { page: number; offset: number }[] = [];
    let pending: { page: number; offset: number }[] = [];
    let pages = Math.floor(image.length / Math.max(pageSize, 1));
    for (let offset = WAL_HEADER_BYTES; pageSize >= 512 && offset + frameBytes <= wal.length; offset += frameBytes) {
      if (wal.readUInt32BE(offset + 8) !== salt1 || wal.readUInt32BE(offset + 12) !== salt2) break;
      pending.push({ page: wal.readUInt32BE(offset), offset: offset + WAL_FRAME_HEADER_BYTES });
      const commitSize = wal.readUInt32BE(offset + 4);
      if (commitSize > 0) {
        committed.push(...pending);
        pending = [];
        pages = commitSize;
      }
    }
    if (committed.length > 0) {
      const next = Buffer.alloc(pages * pageSize);
      image.copy(next, 0, 0, Math.min(image.length, next.length));
      for (const frame of committed) {
        if (frame.page >= 1 && frame.page <= pages) wal.copy(next, (frame.page - 1) * pageSize, frame.offset, frame.offset + pageSize);
      }
      image = next;
    }
  }
  return image;
}

/**
 * Each BLOB cell replaced by its zstd-decompressed bytes, or by null when it is no zstd frame, would exceed
 * `maxCellBytes`, or would take the query's cells past MAX_WHOLE_FILE_BYTES in all: a small hostile
 * database must not expand into gigabytes of memory.
 */
function inflateZstdCells(rows: unknown[][], maxCellBytes: number): unknown[][] {
  let budget = MAX_WHOLE_FILE_BYTES;
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const cell = row[i];
      if (!(cell instanceof Uint8Array)) continue;
      let inflated: Buffer | undefined;
      try {
        inflated = budget > 0 ? decompressZstd(Buffer.from(cell.buffer, cell.byteOffset, cell.byteLength), Math.min(maxCellBytes, budget)) : undefined;
      } catch {
        inflated = undefined;
      }
      budget -= inflated?.length ?? 0;
      row[i] = inflated ?? null;
    }
  }
  return rows;
}

/**
 * Rows of `sql` run on a copy of the database (and its `-wal`) in memory; the files are only read. With
 * `zstdCellBytes`, BLOB cells come back decompressed (SqliteQuery.zstdCellBytes).
 */
export async function querySqliteCopy(db: Buffer, wal: Buffer | undefined, sql: SqliteQuery['sql'], zstdCellBytes?: number): Promise<unknown[][]> {
  const SQL = await loadSqlJs();
  const database = new SQL.Database(withWal(db, wal));
  try {
    const tables = () => new Set((database.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values ?? []).map((row) => String(row[0])));
    const results = database.exec(typeof sql === 'string' ? sql : sql(tables()));
    const rows = results.length > 0 ? (results[0].values as unknown[][]) : [];
    return zstdCellBytes === undefined ? rows : inflateZstdCells(rows, zstdCellBytes);
  } finally {
    database.close();
  }
}
