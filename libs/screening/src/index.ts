export * from './countries';
export * from './formats';
export * from './importer';
export * from './screener';
export * from './candidate-index';
export * from './demo-lists';
export * from './case-screening';
export * from './screening.service';
