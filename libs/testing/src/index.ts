export * from './test-db';
export * from './test-app';
export * from './case-factory';
export * from './smtp-sink';
export * from './worker-harness';
export * from './questionnaire-answers';
export * from './clamd';
export * from './service-contexts';
