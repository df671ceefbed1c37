export * from './test-db';
export * from './test-app';
export * from './case-factory';
