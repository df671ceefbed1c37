export * from './redis';
export * from './jobs';
export * from './backend';
export * from './job-queue';
export * from './login-throttle';
export * from './queue-backend.module';
