import { createServer } from 'node:net';
import Redis from 'ioredis';
import { Client } from 'pg';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { outageMessage, outageOf } from './outage';

/** Real client errors against a port nothing listens on, and errors that are bugs, not outages. */
function closedPort(): Promise<number> {
  return new Promise((done) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

describe('outageOf', () => {
  it('recognises PostgreSQL being unreachable (node-postgres connect error)', async () => {
    const port = await closedPort();
    const c = new Client({ host: '127.0.0.1', port, user: 'x', database: 'x' });
    const err = await c.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeTruthy();
    expect(outageOf(err)).toMatchObject({ of: 'backing service' });
    expect(outageOf(err)!.detail).toContain('ECONNREFUSED');
  });

  it('recognises a dropped database connection inside a TypeORM QueryFailedError, and server shutdown states', () => {
    const dropped = new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly'));
    expect(outageOf(dropped)).toMatchObject({ of: 'database' });
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    expect(outageOf(new QueryFailedError('SELECT 1', [], shutdown))).toMatchObject({ of: 'database' });
    const starting = Object.assign(new Error('the database system is starting up'), { code: '57P03' });
    expect(outageOf(starting)).toMatchObject({ of: 'database' });
    expect(outageOf(Object.assign(new Error('x'), { code: '08006' }))).toMatchObject({ of: 'database' });
    // The connection died mid-transaction: TypeORM released its runner, the next statement says so.
    expect(outageOf(new QueryRunnerAlreadyReleasedError())).toMatchObject({ of: 'database' });
    expect(outageOf(new QueryRunnerProviderAlreadyReleasedError())).toMatchObject({ of: 'database' });
    expect(outageMessage(outageOf(starting)!)).toMatch(
      /^The database is unavailable at the moment, so the request was not completed; try again in \d+ seconds\.$/,
    );
  });

  it('recognises Redis being unreachable (ioredis command error)', async () => {
    const port = await closedPort();
    const redis = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    redis.on('error', () => undefined);
    const err = await redis.get('k').then(
      () => null,
      (e: unknown) => e,
    );
    redis.disconnect();
    expect(err).toBeTruthy();
    expect(outageOf(err)).not.toBeNull();
    const offline = new Redis({ host: '127.0.0.1', port, enableOfflineQueue: false, retryStrategy: () => null, lazyConnect: true });
    const err2 = await offline.get('k').then(
      () => null,
      (e: unknown) => e,
    );
    offline.disconnect();
    expect(outageOf(err2)).toMatchObject({ of: 'redis' });
  });

  it('leaves bugs and bad SQL alone: those stay 500', () => {
    expect(outageOf(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBeNull();
    const syntax = Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' });
    expect(outageOf(new QueryFailedError('SELEC 1', [], syntax))).toBeNull();
    const unique = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
    expect(outageOf(new QueryFailedError('INSERT', [], unique))).toBeNull();
    expect(outageOf('a string')).toBeNull();
    expect(outageOf(null)).toBeNull();
  });
});
