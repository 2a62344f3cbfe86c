import { migrateService } from '@kapocs/kit';
import { reporting } from './service';

await migrateService(reporting);
console.log('reporting: migrated');
