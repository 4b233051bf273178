/**
 * zod, configured once for the whole app before any schema is defined:
 * `jitless` stops zod from probing `new Function` (eval), which our strict
 * Content-Security-Policy forbids in the browser (docs/decisions/0008).
 * Every module imports `z` from here, never from "zod" directly, so the
 * setting is in force whatever module the bundler evaluates first.
 */
import { z } from "zod";

z.config({ jitless: true });

export { z };
