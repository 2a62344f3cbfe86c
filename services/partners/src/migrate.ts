import { migrateService } from '@kapocs/kit';
import { partners } from './service';

await migrateService(partners);
console.log('partners: migrated');
