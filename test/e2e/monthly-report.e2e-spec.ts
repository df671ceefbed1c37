import { INestApplicationContext } from '@nestjs/common';
import { DateTime } from 'luxon';
import { CaseDriver, DEMO, SmtpSink, startMailingWorker, stopMailingWorker, TestApp } from '@app/testing';
import { MonthlyReportService } from '../../apps/worker/src/reports/monthly-report.service';

jest.setTimeout(90_000);

/** The monthly summary to RSDO leads: the dashboard's figures for the month, once per month, through the real relay and SMTP. */
describe('monthly summary email', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let d: CaseDriver;
  let worker: INestApplicationContext;
  beforeAll(async () => {
    ({ sink, t, d, worker } = await startMailingWorker());
  });
  afterAll(() => stopMailingWorker({ sink, t, worker }));

  it('mails the leads the month’s figures and a link to that month on the dashboard, once', async () => {
    const c = await d.triaged();
    await d.ok(DEMO.officer, c.id, 'approve', { decisionText: 'Approved.', conditions: [{ text: 'Training before the visit.' }] });
    const month = DateTime.now().setZone(t.config.timezone).toFormat('yyyy-MM');
    const reports = worker.get(MonthlyReportService);
    const first = await reports.run(month);
    expect(first).toEqual({ month, written: true });
    expect(await reports.run(month)).toEqual({ month, written: false });
    const subject = `Trusted Research: summary for ${DateTime.fromISO(`${month}-01`).toFormat('LLLL yyyy')}`;
    await sink.waitFor((ms) => ms.some((m) => m.subject === subject), 20_000, 'the monthly summary');
    const mails = sink.messages.filter((m) => m.subject === subject);
    const leads: { email: string }[] = await t.owner.query(`SELECT email FROM app_user WHERE 'rsdo_lead' = ANY(roles) AND active`);
    expect(
      mails
        .map((m) => m.to)
        .flat()
        .sort(),
    ).toEqual(leads.map((l) => l.email.toLowerCase()).sort());
    const text = mails[0].text;
    expect(text).toContain('Cases submitted: 1');
    expect(text).toContain('Cases closed: 1');
    expect(text).toMatch(/- Approved with conditions: 1/);
    expect(text).toContain('Conditions set: 1 (0 met)');
    expect(text).toMatch(/- Submitted \(target 3wd\): 1 of 1 on time/);
    const from = `${month}-01`;
    expect(text).toContain(`${t.config.publicUrl}/reports?from=${from}&to=`);
    expect(mails[0].html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&')).toContain(`href="${t.config.publicUrl}/reports?from=${from}&to=`);
  });
});
