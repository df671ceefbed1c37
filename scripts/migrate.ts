/** `npm run migrate`: apply pending migrations under the advisory lock, then exit. */
import { ConfigError, loadConfig } from '@app/config';
import { migrate } from '@app/persistence';

loadConfigAndMigrate().catch((err) => {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
});

async function loadConfigAndMigrate(): Promise<void> {
  const applied = await migrate(loadConfig(), (line) => console.log(line));
  console.log(applied.length ? `${applied.length} migration(s) applied.` : 'Nothing to migrate.');
}
