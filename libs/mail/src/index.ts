export * from './recipients';
export * from './message';
export * from './smtp-errors';
export * from './renderer';
export * from './mail.transport';
export * from './mail.module';
export * from './categories';
export * from './mail-content';
