/**
 * `npm run audit:verify`: re-computes every audit chain's HMAC under AUDIT_KEY (and AUDIT_PREVIOUS_KEYS) (one per case, one for system
 * events) and reports the first broken link. Exit code 1 when the trail was altered.
 */
import { loadConfig } from '@app/config';
import { AuditRepository, createDataSource } from '@app/persistence';

async function main(): Promise<void> {
  const config = loadConfig();
  const ds = createDataSource(config, 'owner', 1);
  await ds.initialize();
  try {
    const t0 = Date.now();
    const result = await new AuditRepository(config).verify(ds.manager);
    const took = ((Date.now() - t0) / 1000).toFixed(1);
    if (result.ok) {
      console.log(`Audit trail intact: ${result.eventsChecked} events in ${result.casesChecked} case chains and the system chain verified in ${took} s.`);
    } else {
      const b = result.firstBroken!;
      const where = b.chain === 'case' ? `case ${b.caseId}, event ${b.seq}` : `system chain, event ${b.seq}`;
      console.error(`Audit trail BROKEN at ${where}: ${b.reason}`);
      process.exitCode = 1;
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});
