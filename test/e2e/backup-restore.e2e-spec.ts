import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { prepareQueueSchema } from '@app/queue';
import { CaseDriver, createTestApp, DEMO, TestApp, workerEnv } from '@app/testing';

jest.setTimeout(180_000);

/**
 * The backup drill as an operator runs it: `npm run backup` (pg_dump of the app's
 * database, BullMQ's schema included on the PostgreSQL queue backend), `npm run restore
 * -- <file> --into <new>` (a new database: schema brought up to date, app role granted,
 * every audit chain verified), and the restored copy holds the same cases and events.
 * A second restore into the same name is refused, never overwriting.
 */
const ROOT = resolve(__dirname, '../..');

describe('backup and restore drill', () => {
  let t: TestApp;
  let dir: string;
  let restoredDb: string;
  const run = (script: string, args: string[]) => {
    const res = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', `scripts/${script}.ts`, ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        TS_NODE_PROJECT: resolve(ROOT, 'tsconfig.json'),
        ...workerEnv(t.config, 'smtp://127.0.0.1:2525'),
        QUEUE_BACKEND: 'postgres',
      },
      encoding: 'utf8',
    });
    return { status: res.status, out: `${res.stdout}${res.stderr}` };
  };
  const admin = async (sql: string, params: unknown[] = []) => {
    const url = new URL(t.config.database.url);
    url.pathname = '/postgres';
    const c = new Client({ connectionString: url.toString() });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows;
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(join(tmpdir(), 'tr-backup-'));
    restoredDb = `${t.dbName}_r`.slice(0, 63);
    await prepareQueueSchema({ ...t.config, queueBackend: 'postgres' });
  });
  afterAll(async () => {
    if (t && restoredDb) await admin(`DROP DATABASE IF EXISTS "${restoredDb}" WITH (FORCE)`).catch(() => undefined);
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('backs up, restores into a new database, verifies the audit chains there, and refuses to overwrite', async () => {
    const d = new CaseDriver(t);
    const c = await d.submitted(DEMO.researcher);
    await d.ok(DEMO.officer, c.id, 'assign', { assigneeId: await t.userId(DEMO.officer) });
    const [{ n: events }] = await t.owner.query(`SELECT count(*)::int AS n FROM case_event`);
    expect(events).toBeGreaterThan(0);

    const file = join(dir, 'app.dump');
    const backup = run('backup', [file]);
    expect(backup.out).toMatch(/Backup of database \S+ written to .*app\.dump .*queues included \(schema bullmq\)/);
    expect(backup.status).toBe(0);
    expect(existsSync(file)).toBe(true);

    const restore = run('restore', [file, '--into', restoredDb]);
    expect(restore.out).toContain(`1/4 Created database ${restoredDb}.`);
    expect(restore.out).toMatch(/4\/4 Audit trail of the restored copy intact: \d+ events in \d+ case chains/);
    expect(restore.status).toBe(0);

    const url = new URL(t.config.database.url);
    url.pathname = `/${restoredDb}`;
    const r = new Client({ connectionString: url.toString() });
    await r.connect();
    try {
      const [kase] = (await r.query(`SELECT reference, state FROM collaboration_case WHERE id = $1`, [c.id])).rows;
      expect(kase).toEqual({ reference: c.reference, state: expect.any(String) });
      const [{ n }] = (await r.query(`SELECT count(*)::int AS n FROM case_event`)).rows;
      expect(n).toBe(events);
      const queueTables = (await r.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'bullmq'`)).rows[0].n;
      expect(queueTables).toBeGreaterThan(0);
      // The app role may use the restored copy (grants re-established).
      const [{ ok }] = (await r.query(`SELECT has_table_privilege($1, 'collaboration_case', 'SELECT') AS ok`, [t.config.database.appUser])).rows;
      expect(ok).toBe(true);
    } finally {
      await r.end();
    }

    const again = run('restore', [file, '--into', restoredDb]);
    expect(again.status).toBe(1);
    expect(again.out).toContain(`Database ${restoredDb} already exists; restore refuses to overwrite it.`);
  });
});
