export * from './owned-records';
export * from './list-page';
export * from './owned-entity';
