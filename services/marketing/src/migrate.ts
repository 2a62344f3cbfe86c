import { migrateService } from '@kapocs/kit';
import { marketing } from './service';

await migrateService(marketing);
console.log('marketing: migrated');
