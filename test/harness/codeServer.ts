// Starts code-server (VS Code's real server, web workbench and Node extension host) in a
// throwaway profile, and stops it again.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { killGroup, trackProcessGroup, untrackProcessGroup } from './cleanup';
import { CodeServerInstall, needsSmokeTestDriver } from './codeServerInstall';

/**
 * Settings every run gets: no welcome page, no telemetry, no update or trust prompts, and no
 * import of the agent logs of the machine running it (tests and the sample editor must not
 * depend on, or copy, whatever Claude Code or Codex history that machine has).
 */
export const BASE_USER_SETTINGS: Readonly<Record<string, unknown>> = {
  'assay.import.discover': false,
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'security.workspace.trust.enabled': false,
  'workbench.tips.enabled': false,
};

export interface CodeServerOptions {
  install: CodeServerInstall;
  /** Throwaway folder that receives the profile, extensions, config and logs. */
  rootDir: string;
  /** Merged over BASE_USER_SETTINGS into User/settings.json before start. */
  settings?: Record<string, unknown>;
  /** Unpacked extensions to copy into the extensions dir, as `<publisher>.<name>-<version>`. */
  extensions?: readonly string[];
  /** Packaged extensions installed with code-server's own `--install-extension`, as a user would. */
  vsixFiles?: readonly string[];
  /** Fixed port (npm start); a free loopback port otherwise. */
  port?: number;
  /** Extra environment for code-server and its extension host. */
  env?: Record<string, string>;
}

export interface RunningCodeServer {
  origin: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  /** The URI the web workbench uses for a file on this machine. */
  remoteUri(absolutePath: string): string;
  stop(): Promise<void>;
}

/** Where a run under `rootDir` keeps its profile; known before start so a test can seed it. */
export function profilePaths(rootDir: string): { userDataDir: string; extensionsDir: string; xdgDir: string } {
  return {
    userDataDir: path.join(rootDir, 'user-data'),
    extensionsDir: path.join(rootDir, 'extensions'),
    xdgDir: path.join(rootDir, 'xdg'),
  };
}

/** `context.globalStorageUri` of an extension in that profile. */
export function globalStorageDir(userDataDir: string, extensionId: string): string {
  return path.join(userDataDir, 'User', 'globalStorage', extensionId);
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void {
  const userDir = path.join(userDataDir, 'User');
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify({ ...BASE_USER_SETTINGS, ...settings }, null, 2));
}

/** Copies an unpacked extension folder; the folder name is the identity VS Code scans for. */
export function copyExtension(sourceDir: string, extensionsDir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(sourceDir, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
  };
  const target = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  fs.cpSync(sourceDir, target, { recursive: true });
}

/** node:http without keep-alive: fetch's pooled sockets would hold the process open for seconds. */
function answersHealthz(origin: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(`${origin}/healthz`, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.once('error', () => resolve(false));
    request.setTimeout(2_000, () => request.destroy());
  });
}

async function waitForHealthz(origin: string, exited: () => string | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const exitReason = exited();
    if (exitReason) throw new Error(`code-server exited before it was ready (${exitReason})`);
    if (await answersHealthz(origin)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer ${origin}/healthz within ${timeoutMs} ms`);
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const { install, rootDir } = options;
  const { userDataDir, extensionsDir, xdgDir } = profilePaths(rootDir);
  const logFile = path.join(rootDir, 'code-server.log');
  for (const dir of [userDataDir, extensionsDir, xdgDir]) fs.mkdirSync(dir, { recursive: true });
  writeUserSettings(userDataDir, options.settings ?? {});
  for (const extension of options.extensions ?? []) copyExtension(extension, extensionsDir);
  // Its own config file: without --config, code-server writes ~/.config/code-server/config.yaml.
  const configFile = path.join(rootDir, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const serverEnv = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(xdgDir, 'config'),
    XDG_DATA_HOME: path.join(xdgDir, 'data'),
    XDG_CACHE_HOME: path.join(xdgDir, 'cache'),
    // An empty gallery keeps it from contacting the Open VSX marketplace.
    EXTENSIONS_GALLERY: '{}',
    ...options.env,
  };
  for (const vsix of options.vsixFiles ?? []) {
    const installed = spawnSync(
      install.node,
      [install.entry, '--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix],
      { env: serverEnv, encoding: 'utf8', timeout: 120_000 },
    );
    if (installed.status !== 0) throw new Error(`code-server --install-extension failed (${installed.status}): ${installed.stderr || installed.stdout}`);
  }

  const port = options.port ?? (await freeLoopbackPort());
  const args = [
    install.entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--config', configFile,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ];
  if (needsSmokeTestDriver(install)) args.push('--vscode-option', 'enable-smoke-test-driver');

  const log = fs.openSync(logFile, 'a');
  const child = spawn(install.node, args, {
    // Process-group leader, so stop() reaches the server's own children too.
    detached: true,
    stdio: ['ignore', log, log],
    env: serverEnv,
  });
  fs.closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${install.node}`);
  trackProcessGroup(pid);
  let exitReason: string | undefined;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitReason = `code ${code}, signal ${signal}; log: ${logFile}`;
      resolve();
    });
  });

  const stop = async (): Promise<void> => {
    if (exitReason === undefined) {
      killGroup(pid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        exitedPromise.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 5_000))),
      ]);
      clearTimeout(timer);
      if (timedOut) killGroup(pid, 'SIGKILL');
    }
    // The group may outlive its leader (extension host, pty host).
    killGroup(pid, 'SIGKILL');
    untrackProcessGroup(pid);
  };

  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHealthz(origin, () => exitReason, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    origin,
    port,
    userDataDir,
    extensionsDir,
    logFile,
    remoteUri: (absolutePath) => `vscode-remote://127.0.0.1:${port}${absolutePath}`,
    stop,
  };
}

/** Workbench URL opening `folder`, with VS Code's URL payload entries (openFile, extension tests...). */
export function workbenchUrl(server: RunningCodeServer, folder: string, payload: ReadonlyArray<[string, string]> = []): string {
  const query = new URLSearchParams({ folder });
  if (payload.length > 0) query.set('payload', JSON.stringify(payload));
  return `${server.origin}/?${query.toString()}`;
}
