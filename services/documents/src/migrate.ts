import { migrateService } from '@kapocs/kit';
import { documents } from './service';

await migrateService(documents);
console.log('documents: migrated');
