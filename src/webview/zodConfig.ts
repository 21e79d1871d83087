// Imported first by main.ts, before any schema is built: zod decides at schema construction
// whether to compile fast paths with `new Function`, which the page's CSP forbids (the attempt
// alone is reported as a violation), so it must be told not to before the protocol loads.
import * as z from 'zod';

z.config({ jitless: true });
