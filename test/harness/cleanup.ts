// Stops child process groups when the harness process ends for any reason: a normal end, a
// thrown error, Ctrl+C or SIGTERM. code-server never exits by itself and spawns its own
// children (server, extension host, pty host), so each is started as a process-group leader
// and the whole group is killed.
const groups = new Set<number>();
let handlersInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // 'exit' handlers must be synchronous: a last-resort SIGKILL of whatever is still registered.
  process.on('exit', () => {
    for (const pid of groups) killGroup(pid, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const pid of groups) killGroup(pid, 'SIGTERM');
      // 128 + signal number, as a shell reports a signal death.
      process.exit(signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 129);
    });
  }
}

export function trackProcessGroup(pid: number): void {
  installHandlers();
  groups.add(pid);
}

export function untrackProcessGroup(pid: number): void {
  groups.delete(pid);
}

export { killGroup };
