// Whether the table may use colour: `--color` / `--no-color` first, then FORCE_COLOR (0 or false:
// never; any other value: always, as Node and most tools read it), then NO_COLOR (https://no-color.org:
// set and not empty means none), else only when stdout is a terminal that is not "dumb".

export interface ColourSetting {
  /** `--color` true, `--no-color` false, neither undefined. */
  flag: boolean | undefined;
  env: Record<string, string | undefined>;
  stdoutIsTTY: boolean;
}

export function useColour({ flag, env, stdoutIsTTY }: ColourSetting): boolean {
  if (flag !== undefined) return flag;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.NO_COLOR) return false;
  return stdoutIsTTY && env.TERM !== 'dumb';
}
