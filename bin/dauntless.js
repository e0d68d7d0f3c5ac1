#!/usr/bin/env node
// Launcher: runs the TypeScript CLI through tsx, so `npx dauntless ...` works
// without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../services/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
