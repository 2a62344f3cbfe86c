export * from './owned-records';
export * from './list-page';
