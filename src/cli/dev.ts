// Runs the CLI straight from the TypeScript sources (npx tsx src/cli/dev.ts ...), for development:
// no build step, no startup snapshot.
import { main } from './main.js';

await main(process.argv.slice(2));
