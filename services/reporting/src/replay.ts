import { replayServiceDeadLetters } from '@kapocs/kit';
import { reporting } from './service';

// `npm run replay-dead-letters -w @kapocs/reporting`: after fixing what made events fail, run them again.
const results = await replayServiceDeadLetters(reporting);
for (const [consumer, r] of Object.entries(results)) console.log(`${consumer}: ${r.replayed} replayed, ${r.failed} still failing`);
process.exitCode = Object.values(results).some((r) => r.failed > 0) ? 1 : 0;
