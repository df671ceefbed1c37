/**
 * Accounts end to end in Chromium (issue 12): an administrator invites a person, the
 * invitation email's link opens the web app's set-password page, the person signs in; a
 * person who forgot their password asks for a link, the email's link lets them choose a
 * new one, every other session ends; used links show a clear page. Emails are read from
 * the in-process SMTP sink the worker sends to.
 */
import { checkScreen, DEMO, personPage, signIn, startWeb, WebHarness } from './browser-kit';
import { DEMO_PASSWORD } from '@app/persistence';

jest.setTimeout(180_000);

describe('web UI: accounts', () => {
  let h: WebHarness;
  beforeAll(async () => {
    h = await startWeb({ mail: true });
  });
  afterAll(() => h?.close());

  const linkIn = (text: string, path: string) => {
    const m = new RegExp(`https?://[^\\s]+${path}\\?token=[A-Za-z0-9_%-]+`).exec(text);
    if (!m) throw new Error(`no ${path} link in: ${text}`);
    return new URL(m[0]);
  };
  const signInAs = async (email: string, password: string) => {
    const { ctx, page } = await personPage(h);
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await ctx.close();
  };

  it('an invited person sets a password from the emailed link and signs in; the used link shows a clear page', async () => {
    const admin = await h.t.token(DEMO.admin);
    const created = await h.t
      .http()
      .post('/api/admin/users')
      .set('Authorization', `Bearer ${admin}`)
      .send({ email: 'ada.lovelace@example.ac.uk', name: 'Ada Lovelace', roles: ['researcher'] });
    expect(created.status).toBe(201);
    await h.sink!.waitFor(() => h.sink!.to('ada.lovelace@example.ac.uk').length === 1, 20_000, 'the invitation');
    const link = linkIn(h.sink!.to('ada.lovelace@example.ac.uk')[0].text, '/accept-invitation');

    const { ctx, page } = await personPage(h);
    await page.goto(link.pathname + link.search);
    await page.getByRole('heading', { name: 'Set your password' }).waitFor();
    await checkScreen(page);
    await page.getByLabel('New password', { exact: true }).fill('password1234');
    await page.getByLabel('Type the new password again').fill('password1234');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page
      .getByText(/one of the most commonly used passwords/)
      .first()
      .waitFor();
    await page.getByLabel('New password', { exact: true }).fill('lantern orchard velvet');
    await page.getByLabel('Type the new password again').fill('lantern orchard velvet');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('heading', { name: 'You can now sign in' }).waitFor();
    await signInAs('ada.lovelace@example.ac.uk', 'lantern orchard velvet');

    await page.goto(link.pathname + link.search);
    await page.getByLabel('New password', { exact: true }).fill('another fine passphrase');
    await page.getByLabel('Type the new password again').fill('another fine passphrase');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('heading', { name: 'This invitation link has expired or was already used' }).waitFor();
    await checkScreen(page);
    await ctx.close();
  });

  it('forgotten password: the reset link from the email sets a new one, ends other sessions, and works once', async () => {
    const before = await h.t.http().post('/api/auth/login').send({ email: DEMO.researcher2, password: DEMO_PASSWORD });
    const { ctx, page } = await personPage(h);
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Forgotten your password?' }).click();
    await page.getByLabel('Email address').fill(DEMO.researcher2);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await checkScreen(page);

    await h.sink!.waitFor(() => h.sink!.to(DEMO.researcher2).some((m) => m.subject === 'Reset your Trusted Research password'), 20_000, 'the reset email');
    const link = linkIn(h.sink!.to(DEMO.researcher2).find((m) => m.subject === 'Reset your Trusted Research password')!.text, '/reset-password');
    await page.goto(link.pathname + link.search);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('marble heron quietly');
    await page.getByLabel('Type the new password again').fill('marble heron quietly');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('heading', { name: 'You can now sign in' }).waitFor();
    await signInAs(DEMO.researcher2, 'marble heron quietly');

    // The session from before the reset is over.
    expect((await h.t.http().get('/api/me').set('Authorization', `Bearer ${before.body.accessToken}`)).status).toBe(401);
    await page.goto(link.pathname + link.search);
    await page.getByLabel('New password', { exact: true }).fill('yet another passphrase');
    await page.getByLabel('Type the new password again').fill('yet another passphrase');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('heading', { name: 'This reset link has expired or was already used' }).waitFor();
    await ctx.close();

    // No enumeration: an unknown address gets the same answer and no email.
    const unknown = await h.t.http().post('/api/auth/forgot-password').send({ email: 'nobody@example.ac.uk' });
    const known = await h.t.http().post('/api/auth/forgot-password').send({ email: DEMO.officer2 });
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    const events = await h.t.owner.query(`SELECT action FROM system_event WHERE action LIKE 'password_reset%' ORDER BY seq`);
    expect(events.map((e: { action: string }) => e.action)).toEqual(['password_reset_requested', 'password_reset', 'password_reset_requested']);
  });

  it('a signed-in person changes their password from the page behind their name', async () => {
    const { ctx, page } = await personPage(h);
    await signIn(page, DEMO.headChemistry);
    await page.getByRole('link', { name: /change your password/ }).click();
    await page.getByRole('heading', { name: 'Change your password' }).waitFor();
    await checkScreen(page);
    await page.getByLabel('Current password').fill('not-my-password');
    await page.getByLabel('New password', { exact: true }).fill('willow candle harbour');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('currentPassword is not your current password.').first().waitFor();
    await page.getByLabel('Current password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password has been changed; your other sessions were signed out.').waitFor();
    // This session continues with the new token.
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await ctx.close();
    expect((await h.t.http().post('/api/auth/login').send({ email: DEMO.headChemistry, password: 'willow candle harbour' })).status).toBe(200);
    const [ev] = await h.t.owner.query(`SELECT actor_id FROM system_event WHERE action = 'password_changed'`);
    expect(ev.actor_id).toBe(await h.t.userId(DEMO.headChemistry));
  });
});
