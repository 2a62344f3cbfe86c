import { migrateService } from '@kapocs/kit';
import { activities } from './service';

await migrateService(activities);
console.log('activities: migrated');
