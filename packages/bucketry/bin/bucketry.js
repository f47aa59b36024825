#!/usr/bin/env node
// The `bucketry` executable. Committed, not built: pnpm links a dependent's bins at install time, and
// in a fresh clone dist/ does not exist yet (`Failed to create bin` warnings).
import "../dist/cli/main.js";
