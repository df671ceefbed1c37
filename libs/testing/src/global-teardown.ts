// globalSetup is not given jest's moduleNameMapper, so resolve @app/* through tsconfig paths.
import 'tsconfig-paths/register';
import { withAdminClient } from './test-db';

export default async function globalTeardown(): Promise<void> {
  const template = process.env.TR_TEST_TEMPLATE;
  if (!template) return;
  const prefix = template.replace('_tpl_', '_t_');
  await withAdminClient(async (c) => {
    const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname = $1 OR starts_with(datname, $2)`, [
      template,
      prefix + '_',
    ]);
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}
