// Entry of the shared checks in a browser page, bundled as an app bundler would (browser
// condition); the harness calls `runChecks(config)` in the page.
import { runChecks } from "./checks.mjs";

globalThis.runChecks = runChecks;
