// A read thread for tests: the real one (src/importers/readWorker.ts), which then creates the file named by
// ASSAY_TEST_READ_THREAD_STARTED, so a test knows the thread has loaded and is about to take files (a thread's
// environment is a copy of its parent's when it starts).
import * as fs from 'node:fs';
import '../../../src/importers/readWorker';

const marker = process.env.ASSAY_TEST_READ_THREAD_STARTED;
if (marker) fs.writeFileSync(marker, '');
