export * from './custom-field.entity';
export * from './custom-fields.schemas';
export * from './custom-values';
export * from './custom-fields.service';
export * from './custom-fields.routes';
