export * from './roles';
export * from './events';
export * from './problems';
export * from './lists';
export * from './filter';
export * from './values';
export * from './imports';
export * from './services';
