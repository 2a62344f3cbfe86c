import { migrateService } from '@kapocs/kit';
import { sales } from './service';

await migrateService(sales);
console.log('sales: migrated');
