import { describe, expect, it } from 'vitest';
import { appTestContext, launchPatient } from './support/app.ts';

// Access tokens live 2 s here, so any request after a short wait meets an expired token.
const t = appTestContext({ SANDBOX_TOKEN_TTL_S: '2' });

describe('an expired access token', () => {
  it('is refreshed with the refresh token, so a reload after expiry still loads every section', async () => {
    const grants: string[] = [];
    const bearers: string[] = [];
    t.page.on('request', (request) => {
      if (/\/auth\/token$/.test(request.url())) {
        grants.push(new URLSearchParams(request.postData() ?? '').get('grant_type') ?? '');
      } else if (request.url().includes('/fhir/')) {
        const bearer = request.headers()['authorization'];
        if (bearer !== undefined) {
          bearers.push(bearer);
        }
      }
    });
    await launchPatient(t.page, t.sandbox, 'clbp-eligible');
    await t.page.waitForTimeout(3_000);
    const tokenBefore = bearers.at(-1);
    const refreshesBefore = grants.filter((g) => g === 'refresh_token').length;
    // The session is restored from this tab's storage; its token has expired and must be refreshed.
    await t.page.reload();
    await t.page.waitForSelector('main[aria-busy="false"] section', { timeout: 30_000 });
    await expect(t.page.textContent('section#opioids')).resolves.toContain('40 MME/day');
    await expect(t.page.locator('section[data-status="error"]').count()).resolves.toBe(0);
    // A refresh, not a token that never expired: the reloaded page asked for a new one and used it.
    expect(grants.filter((g) => g === 'refresh_token').length).toBeGreaterThan(refreshesBefore);
    expect(tokenBefore).toBeDefined();
    expect(bearers.at(-1)).not.toBe(tokenBefore);
  });

  it('asks to relaunch, keeping the answers, when the EHR refuses to refresh the session', async () => {
    await launchPatient(t.page, t.sandbox, 'minor');
    // The EHR ends the session: every refresh from now on is refused, as after a sign-out.
    await t.page.route(/\/auth\/token$/, (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: '{"error":"invalid_grant"}',
      }),
    );
    await t.page.click('button:has-text("Record a PEG")');
    for (const item of ['pain', 'enjoyment', 'activity']) {
      await t.page.check(`#peg-peg-${item}-LA6114-8`);
    }
    await t.page.waitForTimeout(2_500);
    await t.page.click('form[aria-label="Record a PEG"] button[type="submit"]');
    const error = t.page.locator('[data-testid="peg-save-error"]');
    await error.waitFor();
    await expect(error.textContent()).resolves.toContain(
      'Relaunch CLBP Pathway from the patient chart',
    );
    await expect(t.page.isChecked('#peg-peg-pain-LA6114-8')).resolves.toBe(true);
    await t.page.reload();
    await t.page.waitForSelector('main[aria-busy="false"]', { timeout: 30_000 });
    const draft = await t.page.evaluate(() =>
      Object.keys(sessionStorage).filter((k) => k.includes('draft:peg:minor')),
    );
    expect(draft).toHaveLength(1);
  });
});
