// What survives a power loss cannot be observed in a test: this spy records, in order, every fsync of a file or folder
// and every hard link made, so a test can check that a name is synced after it is made. Every call still does what it did.
// The module object itself (not a namespace copy): the code under test sees the replaced functions.
import fs from 'node:fs';
import * as path from 'node:path';

export interface DurabilitySpy {
  /** `sync <absolute path>` and `link <absolute path of the existing file>`, in the order they happened. */
  steps: string[];
  /** How many times `target` was fsynced. */
  syncsOf(target: string): number;
  restore(): void;
}

export function recordDurability(): DurabilitySpy {
  const { open, link } = fs.promises;
  const { openSync, fsyncSync } = fs;
  const steps: string[] = [];
  const openFds = new Map<number, string>();
  fs.promises.open = async (...args: Parameters<typeof open>) => {
    const handle = await open(...args);
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      await sync();
      steps.push(`sync ${path.resolve(String(args[0]))}`);
    };
    return handle;
  };
  fs.promises.link = async (existing, created) => {
    await link(existing, created);
    steps.push(`link ${path.resolve(String(existing))}`);
  };
  (fs as { openSync: unknown }).openSync = (file: fs.PathLike, ...rest: unknown[]) => {
    const fd = (openSync as (...args: unknown[]) => number)(file, ...rest);
    openFds.set(fd, path.resolve(String(file)));
    return fd;
  };
  (fs as { fsyncSync: unknown }).fsyncSync = (fd: number) => {
    fsyncSync(fd);
    steps.push(`sync ${openFds.get(fd) ?? `fd ${fd}`}`);
  };
  return {
    steps,
    syncsOf: (target) => steps.filter((step) => step === `sync ${path.resolve(target)}`).length,
    restore: () => {
      Object.assign(fs.promises, { open, link });
      Object.assign(fs, { openSync, fsyncSync });
    },
  };
}

/**
 * Makes every sync of the folder `directory` fail with `code` until `restore`, as a disk that does not take it (EIO) or
 * a file system that cannot sync folders (EINVAL) does: neither can be brought about here without mount rights. Every
 * other call does what it did.
 */
export function failFolderSyncs(directory: string, code: string): { restore(): void } {
  const { open } = fs.promises;
  const { openSync, fsyncSync, closeSync } = fs;
  const target = path.resolve(directory);
  const failure = () => Object.assign(new Error(`${code}: the folder sync failed`), { code });
  const folderFds = new Set<number>();
  fs.promises.open = async (...args: Parameters<typeof open>) => {
    const handle = await open(...args);
    if (path.resolve(String(args[0])) === target) {
      handle.sync = () => Promise.reject(failure());
    }
    return handle;
  };
  (fs as { openSync: unknown }).openSync = (file: fs.PathLike, ...rest: unknown[]) => {
    const fd = (openSync as (...args: unknown[]) => number)(file, ...rest);
    if (path.resolve(String(file)) === target) folderFds.add(fd);
    return fd;
  };
  (fs as { fsyncSync: unknown }).fsyncSync = (fd: number) => {
    if (folderFds.has(fd)) throw failure();
    fsyncSync(fd);
  };
  (fs as { closeSync: unknown }).closeSync = (fd: number) => {
    folderFds.delete(fd);
    closeSync(fd);
  };
  return {
    restore: () => {
      Object.assign(fs.promises, { open });
      Object.assign(fs, { openSync, fsyncSync, closeSync });
    },
  };
}
