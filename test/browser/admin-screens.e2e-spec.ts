/**
 * The administration and account screens, in Chromium against the real API: each role's
 * landing page; service levels (a target changed, working hours saved, a closure day
 * added and removed); delegates picked by name with a date range, and revoked; a user's
 * department; a leaver's cases handed over by name; mail status with an open alarm;
 * audit verification, intact and then broken; and everyone's email settings. Each
 * screen is checked with axe (0 serious or critical).
 */
import { SMTP_AUTH_ALARM } from '@app/domain';
import { DeliveryRepository } from '@app/persistence';
import { CaseDriver } from '@app/testing';
import { checkScreen, DEMO, personPage, signIn, startWeb, WebHarness } from './browser-kit';

jest.setTimeout(240_000);

describe('administration and account screens', () => {
  let h: WebHarness;
  let d: CaseDriver;
  beforeAll(async () => {
    h = await startWeb();
    d = new CaseDriver(h.t);
  });
  afterAll(() => h?.close());

  it('lands each role where its work is, after sign-in and at "/"', async () => {
    const expected: [string, string][] = [
      [DEMO.researcher, '/cases/mine'],
      [DEMO.officer, '/queue'],
      [DEMO.exportOfficer, '/queue?state=export_control_review'],
      [DEMO.headPhysics, '/sign-off'], // also a researcher: sign-off comes first
      [DEMO.lead, '/sign-off'],
      [DEMO.admin, '/admin/users'],
    ];
    for (const [email, path] of expected) {
      const { ctx, page } = await personPage(h);
      await signIn(page, email);
      const at = () => {
        const u = new URL(page.url());
        return u.pathname + u.search;
      };
      expect({ email, at: at() }).toEqual({ email, at: path });
      await page.goto('/');
      await page.waitForURL((u) => u.pathname !== '/');
      expect({ email, at: at() }).toEqual({ email, at: path });
      await ctx.close();
    }
  });

  it('an administrator changes a stage target and the working hours, and adds and removes a closure day', async () => {
    const { ctx, page } = await personPage(h);
    await signIn(page, DEMO.admin);
    await page.getByRole('link', { name: 'Service levels' }).click();
    await page.getByRole('heading', { name: 'Service levels', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Submitted' }).waitFor();
    await checkScreen(page, 'admin-sla');

    const before = (await d.get(DEMO.admin, '/api/admin/sla/policies')).body.items.find((p: { stage: string }) => p.stage === 'submitted');
    expect(before.ladder).toHaveLength(4);
    await page.getByLabel('Target for Submitted', { exact: true }).fill('4wd');
    // The ladder: the first reminder earlier, the last escalation removed.
    const card = page.getByRole('region', { name: 'Submitted' });
    await card.getByText('Change the reminders and escalations for Submitted').click();
    await card.getByRole('group', { name: 'Step 1 for Submitted' }).getByLabel('At (percent of the target)').fill('40');
    await card.getByRole('button', { name: 'Remove step 4 for Submitted' }).click();
    await checkScreen(page);
    await page.getByRole('button', { name: 'Save the target for Submitted' }).click();
    await page
      .getByRole('status')
      .getByText(/Submitted: 3 reminders and escalations\. The target for Submitted is now 4 working days; \d+ open cases? (was|were) given new timers\./)
      .waitFor();
    const policies = await d.get(DEMO.admin, '/api/admin/sla/policies');
    const after = policies.body.items.find((p: { stage: string }) => p.stage === 'submitted');
    expect(after).toMatchObject({ target: '4wd', atRiskAt: 80, version: before.version + 1 });
    expect(after.ladder).toEqual([{ ...before.ladder[0], at: 40 }, before.ladder[1], before.ladder[2]]);

    // A target the API cannot read: its sentence, next to the field.
    await page.getByLabel('Target for Triaged', { exact: true }).fill('soon');
    await page.getByRole('button', { name: 'Save the target for Triaged' }).click();
    await page
      .getByRole('alert')
      .getByText(/"soon" is neither an ISO-8601 duration/)
      .waitFor();

    await page.getByLabel('Closes at').fill('17:30');
    await page.getByLabel('Head of the research office').selectOption({ label: 'Leah Fraser (rsdo.lead@example.ac.uk)' });
    await page.getByRole('button', { name: 'Save working hours' }).click();
    await page.getByRole('status').getByText('Working hours and reminders are saved.').waitFor();
    const settings = await d.get(DEMO.admin, '/api/admin/sla/settings');
    expect(settings.body).toMatchObject({ hours: { closes: '17:30' }, headOfOfficeUserId: await h.t.userId(DEMO.lead) });

    // A closure day, typed as GOV.UK's day, month and year; shown as "29 December 2031".
    const date = page.getByRole('group', { name: 'Date' });
    await date.getByLabel('Day').fill('29');
    await date.getByLabel('Month').fill('12');
    await date.getByLabel('Year').fill('2031');
    await page.getByLabel('Description').fill('Winter closure');
    await page.getByRole('button', { name: 'Add closure day' }).click();
    await page.getByRole('status').getByText('29 December 2031 is a closure day.').waitFor();
    await page.getByRole('row', { name: /29 December 2031 Winter closure/ }).waitFor();
    expect((await d.get(DEMO.admin, '/api/admin/sla/closure-days')).body.items).toContainEqual({ day: '2031-12-29', description: 'Winter closure' });
    await checkScreen(page);
    // Not a date of the calendar: refused in the page, nothing sent.
    await date.getByLabel('Day').fill('31');
    await date.getByLabel('Month').fill('2');
    await date.getByLabel('Year').fill('2032');
    await page.getByLabel('Description').fill('Nonsense');
    await page.getByRole('button', { name: 'Add closure day' }).click();
    await page.getByRole('alert').getByText('Enter the closure day as a real date, such as 29 12 2026').waitFor();

    await page.getByRole('button', { name: 'Remove 29 December 2031' }).click();
    await page.getByRole('status').getByText('29 December 2031 is no longer a closure day.').waitFor();
    expect((await d.get(DEMO.admin, '/api/admin/sla/closure-days')).body.items.map((x: { day: string }) => x.day)).not.toContain('2031-12-29');
    await ctx.close();
  });

  it('an administrator names a delegate for a head by name and date range, then revokes them', async () => {
    const { ctx, page } = await personPage(h);
    await signIn(page, DEMO.admin);
    await page.getByRole('link', { name: 'Departments' }).click();
    await page.getByRole('heading', { name: 'Departments and heads' }).waitFor();
    const physics = page.getByRole('region', { name: /^Physics/ });
    await physics.getByText('Add a delegate for Physics').click();
    await physics.getByLabel('Delegate for Physics').selectOption({ label: 'Hamid Rahimi (head.chemistry@example.ac.uk)' });
    const from = physics.getByRole('group', { name: 'From' });
    await from.getByLabel('Day').fill('1');
    await from.getByLabel('Month').fill('7');
    await from.getByLabel('Year').fill('2031');
    const to = physics.getByRole('group', { name: 'To' });
    await to.getByLabel('Day').fill('31');
    await to.getByLabel('Month').fill('8');
    await to.getByLabel('Year').fill('2031');
    await physics.getByRole('button', { name: 'Add delegate for Physics' }).click();
    await page.getByRole('status').getByText('Hamid Rahimi signs for the head of Physics from 1 July 2031 to 31 August 2031.').waitFor();
    await physics.getByRole('row', { name: /Hamid Rahimi 1 July 2031 31 August 2031/ }).waitFor();
    await checkScreen(page);
    const depts = (await d.get(DEMO.admin, '/api/departments')).body.items as {
      code: string;
      delegates: { userId: string; startsOn: string; endsOn: string }[];
    }[];
    expect(depts.find((x) => x.code === 'PHYS')!.delegates).toContainEqual(
      expect.objectContaining({ userId: await h.t.userId(DEMO.headChemistry), startsOn: '2031-07-01', endsOn: '2031-08-31' }),
    );

    await physics.getByRole('button', { name: 'Revoke Hamid Rahimi for Physics' }).click();
    await page.getByRole('status').getByText('Hamid Rahimi no longer signs for the head of Physics.').waitFor();
    await physics.getByText('Delegates: none').waitFor();
    await ctx.close();
  });

  it("an administrator moves a user to another department and hands a leaver's open cases to an officer picked by name", async () => {
    const c = await d.submitted(DEMO.researcher);
    const owen = await h.t.userId(DEMO.officer2);
    await d.ok(DEMO.officer2, c.id, 'assign', { assigneeId: owen });
    const { ctx, page } = await personPage(h);
    await signIn(page, DEMO.admin);

    await page.getByRole('link', { name: 'Chidi Okafor' }).click();
    await page.getByRole('heading', { name: 'Chidi Okafor' }).waitFor();
    await page.getByLabel('Department of Chidi Okafor').selectOption({ label: 'Physics' });
    await page.getByRole('button', { name: 'Save department' }).click();
    await page.getByRole('status').getByText('Chidi Okafor is now in Physics.').waitFor();
    const chidi = (await d.get(DEMO.admin, '/api/admin/users')).body.items.find((u: { email: string }) => u.email === DEMO.researcher2);
    expect(chidi.department.code).toBe('PHYS');

    await page.goto(`/admin/users/${owen}`);
    await page.getByRole('heading', { name: 'Owen Marsh' }).waitFor();
    await page.getByRole('heading', { name: 'Hand over open cases' }).waitFor();
    await checkScreen(page, 'admin-user-handover');
    // The picker lists officers and leads by name, never the leaver.
    const options = await page.getByLabel('Who takes over the open cases of Owen Marsh').locator('option').allTextContents();
    expect(options).toContain('Olivia Grant (officer@example.ac.uk)');
    expect(options).toContain('Leah Fraser (rsdo.lead@example.ac.uk)');
    expect(options.join()).not.toContain('Owen Marsh');
    await page.getByRole('button', { name: 'Hand over cases' }).click();
    await page.getByText('Choose who takes over the cases').first().waitFor();
    await page.getByLabel('Who takes over the open cases of Owen Marsh').selectOption({ label: 'Olivia Grant (officer@example.ac.uk)' });
    await page.getByRole('button', { name: 'Hand over cases' }).click();
    await page
      .getByRole('status')
      .getByText(new RegExp(`handed over to Olivia Grant: .*${c.reference}`))
      .waitFor();
    expect((await d.get(DEMO.officer, `/api/cases/${c.id}`)).body.assigneeId).toBe(await h.t.userId(DEMO.officer));
    await ctx.close();
  });

  it('an administrator sees mail health: an open alarm first, then emails by status', async () => {
    const { ctx, page } = await personPage(h);
    await signIn(page, DEMO.admin);
    await page.getByRole('link', { name: 'Mail', exact: true }).click();
    await page.getByRole('heading', { name: 'Mail status' }).waitFor();
    await page.getByText('Mail is working').waitFor();
    await page
      .getByRole('table', { name: 'Emails by status' })
      .getByRole('row', { name: /^Sent \d+$/ })
      .waitFor();
    await checkScreen(page);

    await h.t.app.get(DeliveryRepository).raiseAlarm(SMTP_AUTH_ALARM, 'SMTP authentication failed (535): check the SMTP_URL credentials.');
    await page.getByRole('button', { name: 'Check again' }).click();
    await page
      .getByRole('alert')
      .getByText(/1 mail alarm is open/)
      .waitFor();
    const alarms = page.getByRole('table', { name: 'Open alarms' });
    await alarms.getByText('The mail server refused our login or settings').waitFor();
    await alarms.getByText('SMTP authentication failed (535)', { exact: false }).waitFor();
    await checkScreen(page, 'admin-mail');
    await h.t.app.get(DeliveryRepository).clearAlarms();
    await ctx.close();
  });

  it('everyone changes their email settings from the menu; decision emails stay on', async () => {
    const { ctx, page } = await personPage(h);
    await signIn(page, DEMO.researcher);
    await page.getByRole('link', { name: 'Email settings' }).click();
    await page.getByRole('heading', { name: 'Email notifications' }).waitFor();
    await page.getByText('Decisions on your cases').waitFor();
    await checkScreen(page, 'email-settings');
    const reminders = page.getByRole('group', { name: 'Reminders' });
    expect(await reminders.getByLabel('Email me straight away').isChecked()).toBe(true);
    await reminders.getByLabel('Put them in my daily digest').check();
    const digest = page.getByRole('group', { name: 'Daily digest' });
    expect(await digest.getByLabel('Put them in my daily digest').count()).toBe(0); // the digest cannot go into itself
    await digest.getByLabel('Do not email me').check();
    await page.getByRole('button', { name: 'Save email settings' }).click();
    await page.getByRole('status').getByText('Your email settings are saved.').waitFor();
    expect((await d.get(DEMO.researcher, '/api/me/notification-preferences')).body.preferences).toEqual({
      case_updates: 'immediate',
      reminders: 'digest',
      digest: 'off',
    });
    await page.reload();
    await page.getByRole('heading', { name: 'Email notifications' }).waitFor();
    expect(await page.getByRole('group', { name: 'Reminders' }).getByLabel('Put them in my daily digest').isChecked()).toBe(true);
    await ctx.close();
  });

  it('an administrator verifies the audit trail: intact, and after tampering, the first broken link', async () => {
    const { ctx, page } = await personPage(h);
    await signIn(page, DEMO.admin);
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    await page.getByRole('button', { name: 'Verify the audit trail' }).click();
    await page.getByRole('heading', { name: 'The audit trail is intact' }).waitFor();
    await page.getByText(/\d+ events in \d+ case chains and the system chain verified/).waitFor();
    await checkScreen(page, 'admin-audit');

    // Someone with superuser rights edits a stored case event behind the application's back
    // (the last test of the file: it leaves this database's chain broken).
    const c = await d.submitted(DEMO.researcher);
    await h.t.owner.query(`ALTER TABLE case_event DISABLE TRIGGER case_event_append_only`);
    try {
      await h.t.owner.query(`UPDATE case_event SET payload = '{"tampered":true}' WHERE case_id = $1 AND seq = 2`, [c.id]);
    } finally {
      await h.t.owner.query(`ALTER TABLE case_event ENABLE TRIGGER case_event_append_only`);
    }
    await page.getByRole('button', { name: 'Verify again' }).click();
    await page.getByRole('heading', { name: 'The audit trail is broken' }).waitFor();
    await page.getByText(/breaks at event 2/).waitFor();
    await page.getByRole('link', { name: c.reference, exact: true }).waitFor();
    await checkScreen(page, 'admin-audit-broken');
    await ctx.close();
  });
});
