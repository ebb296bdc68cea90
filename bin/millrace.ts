#!/usr/bin/env -S npx tsx
import { runCli } from '../platform/cli.js';

process.exitCode = await runCli(process.argv.slice(2));
