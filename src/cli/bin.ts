// The `assay` command as installed (bundled to dist/cli.js with a shebang): runs the command's own bundle, built from
// main.ts to dist/cliMain.js, through the code cache (codeCache.ts).
import * as os from 'node:os';
import * as path from 'node:path';
import { runWithCodeCache, userCacheDir } from './codeCache';

runWithCodeCache(path.join(__dirname, 'cliMain.js'), userCacheDir({ platform: process.platform, env: process.env, homedir: os.homedir() }));
