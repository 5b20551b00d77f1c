import { expect, test, type Locator, type Page } from '@playwright/test';
import { stackInfo } from './stack-info';

const { devices, offlineDevice, wrongMethodDevice } = stackInfo();
const [first, second, third] = devices as [string, string, string];

function deviceRow(page: Page, deviceId: string): Locator {
  return page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: deviceId, exact: true }) });
}

/** Everything the row's live region says, in order, so short-lived states are not missed between checks. */
async function recordAnnouncements(row: Locator): Promise<() => Promise<string[]>> {
  await row.locator('[aria-live]').first().evaluate((region) => {
    const seen: string[] = [];
    (window as unknown as { __announcements: string[] }).__announcements = seen;
    const note = () => {
      const text = region.textContent ?? '';
      if (seen[seen.length - 1] !== text) seen.push(text);
    };
    note();
    new MutationObserver(note).observe(region, { subtree: true, childList: true, characterData: true });
  });
  return () => row.page().evaluate(() => (window as unknown as { __announcements: string[] }).__announcements);
}

// React reports hydration mismatches and render errors on the console; a page that works shows none.
// (Chromium also logs every non-2xx fetch, which some tests cause on purpose.)
let consoleErrors: string[] = [];
test.beforeEach(({ page }) => {
  consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});
test.afterEach(() => {
  expect(consoleErrors, 'errors on the browser console').toEqual([]);
});

test.describe('[DEVICES]', () => {
  test('[DEVICES]: the list shows every simulated device as Connected, with its last reboot time', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Devices', level: 1 })).toBeVisible();
    await expect(page.getByRole('banner')).toContainText('127.0.0.1');
    for (const deviceId of devices) {
      const row = deviceRow(page, deviceId);
      await expect(row.getByText('Connected', { exact: true })).toBeVisible();
      await expect(row.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
      await expect(row.getByRole('button', { name: `Reboot ${deviceId}` })).toBeEnabled();
    }
    await expect(deviceRow(page, offlineDevice).getByText('Disconnected', { exact: true })).toBeVisible();
  });
});

test.describe('[REBOOT]', () => {
  test('[REBOOT]: confirm, see the answer, then rebooting, then the new last reboot time', async ({ page }) => {
    await page.goto('/');
    const row = deviceRow(page, first);
    await expect(row.getByText('Connected', { exact: true })).toBeVisible();
    const before = await row.locator('time').first().getAttribute('datetime');
    const transcript = await recordAnnouncements(row);

    await row.getByRole('button', { name: `Reboot ${first}` }).click();
    const dialog = page.getByRole('dialog', { name: `Reboot ${first}?` });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: `Reboot ${first}` }).click();
    await expect(dialog).toBeHidden();

    // The device's answer (status and payload) shows as soon as the action returns.
    await expect(row.getByText(/Answer: 200 /)).toBeVisible();
    // While the reboot is in flight the button refuses clicks and says so.
    await expect(row.getByRole('button', { name: new RegExp(`Reboot.* ${first}`) })).toBeDisabled();

    // Then the new reboot time reported by the device, without a page reload.
    await expect.poll(() => row.locator('time').first().getAttribute('datetime'), { timeout: 30_000 }).not.toBe(before);
    await expect(row.getByText(/^Confirmed/)).toBeVisible();
    await expect(row.getByRole('button', { name: `Reboot ${first}` })).toBeEnabled();

    const said = await transcript();
    const answeredAt = said.findIndex((text) => /Answer: 200/.test(text));
    const rebootingAt = said.findIndex((text) => /Rebooting: the device/.test(text));
    const confirmedAt = said.findIndex((text) => /Confirmed/.test(text));
    expect(answeredAt, said.join(' | ')).toBeGreaterThanOrEqual(0);
    expect(rebootingAt, said.join(' | ')).toBeGreaterThanOrEqual(answeredAt);
    expect(confirmedAt, said.join(' | ')).toBeGreaterThan(rebootingAt);
  });

  test('[REBOOT]: the device page lists that reboot as confirmed, newest first, with every step', async ({ page }) => {
    await page.goto('/');
    await deviceRow(page, first).getByRole('link', { name: first }).click();
    await expect(page).toHaveURL(new RegExp(`/devices/${first}$`));
    await expect(page.getByRole('heading', { name: first, level: 1 })).toBeVisible();

    const history = page.getByRole('list', { name: 'Reboots, newest first' });
    const newest = history.getByRole('listitem').first();
    await expect(newest.getByText(/^Outcome: Confirmed/)).toBeVisible();
    await expect(newest.getByText('Status 200')).toBeVisible();
    for (const label of ['Requested at', 'Went offline', 'Came back', 'Reported reboot time', 'Took']) {
      await expect(newest.getByRole('term').filter({ hasText: label })).toBeVisible();
    }
    await expect(newest.getByRole('definition').filter({ has: page.locator('time') })).toHaveCount(4);

    // The twin: summary, reported rebootTime, and the raw JSON behind a disclosure.
    await expect(page.getByRole('region', { name: 'Reported properties' }).getByText('rebootTime')).toBeVisible();
    const rawTwin = page.getByText('Twin JSON');
    await rawTwin.click();
    await expect(page.locator('pre')).toContainText(`"deviceId": "${first}"`);
  });

  test('[REBOOT]: rebooting from the device page adds the new entry on top of its history', async ({ page }) => {
    await page.goto(`/devices/${third}`);
    const history = page.getByRole('list', { name: 'Reboots, newest first' }).or(page.getByText('No reboots recorded for this device yet.'));
    await expect(history).toBeVisible();
    const entries = page.getByRole('list', { name: 'Reboots, newest first' }).getByRole('listitem');
    const before = await entries.count();

    await page.getByRole('button', { name: `Reboot ${third}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: `Reboot ${third}` }).click();
    await expect(entries).toHaveCount(before + 1);
    await expect(entries.first().getByText(/^Outcome: Confirmed/)).toBeVisible({ timeout: 30_000 });
    await expect(entries.first().getByText(/^Status 200$/)).toBeVisible();
  });

  test('[REBOOT]: a device that is not connected gives a readable offline error', async ({ page }) => {
    await page.goto('/');
    const row = deviceRow(page, offlineDevice);
    await expect(row.getByText('Disconnected', { exact: true })).toBeVisible();
    await row.getByRole('button', { name: `Reboot ${offlineDevice}` }).click();
    const dialog = page.getByRole('dialog', { name: `Reboot ${offlineDevice}?` });
    await expect(dialog).toContainText('looks disconnected');
    await dialog.getByRole('button', { name: `Reboot ${offlineDevice}` }).click();

    const alert = page.getByRole('alert').filter({ hasText: offlineDevice });
    await expect(alert).toContainText('Device offline');
    await expect(row.getByText('Failed: device offline')).toBeVisible();
    await expect(row.getByRole('button', { name: `Reboot ${offlineDevice}` })).toBeEnabled();
  });

  test('[REBOOT]: a device that answers with an error status shows that answer and why it failed', async ({ page }) => {
    await page.goto('/');
    const row = deviceRow(page, wrongMethodDevice);
    await expect(row.getByText('Connected', { exact: true })).toBeVisible();
    await row.getByRole('button', { name: `Reboot ${wrongMethodDevice}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: `Reboot ${wrongMethodDevice}` }).click();

    await expect(page.getByRole('alert').filter({ hasText: wrongMethodDevice })).toContainText('Device answered with an error');
    await expect(row.getByText('Failed: device answered 404')).toBeVisible();
    await expect(row.getByText(/Answer: 404 /)).toBeVisible();

    await row.getByRole('link', { name: wrongMethodDevice }).click();
    const newest = page.getByRole('list', { name: 'Reboots, newest first' }).getByRole('listitem').first();
    await expect(newest.getByText(/^Outcome: Failed: device answered 404/)).toBeVisible();
    await expect(newest.getByText(/^Status 404$/)).toBeVisible();
  });

  test('[REBOOT]: the keyboard alone can open, cancel and confirm a reboot', async ({ page }) => {
    await page.goto('/');
    const row = deviceRow(page, second);
    await expect(row.getByText('Connected', { exact: true })).toBeVisible();
    const button = row.getByRole('button', { name: `Reboot ${second}` });
    const before = await row.locator('time').first().getAttribute('datetime');

    // Tab from the device link to its row's button.
    await row.getByRole('link', { name: second }).focus();
    await page.keyboard.press('Tab');
    await expect(button).toBeFocused();

    // Escape cancels and puts focus back.
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Reboot ${second}?` });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(button).toBeFocused();

    // Enter opens, Tab reaches the confirm button, Enter reboots.
    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: `Reboot ${second}` })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(row.getByText(/Answer: 200 /)).toBeVisible();
    await expect.poll(() => row.locator('time').first().getAttribute('datetime'), { timeout: 30_000 }).not.toBe(before);
    await expect(row.getByText(/^Confirmed/)).toBeVisible();
    await expect(row.getByRole('button', { name: new RegExp(`Reboot.* ${second}`) })).toBeFocused();
  });
});

test.describe('[ERRORS]', () => {
  test('[ERRORS]: a failing API shows its message and hint, and the list recovers by itself', async ({ page }) => {
    await page.route('**/api/devices', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { code: 'HUB_UNREACHABLE', message: 'The IoT hub at 127.0.0.1 did not answer.', hint: 'Start the local hub with npm run hub.' },
        }),
      }),
    );
    await page.goto('/');
    const alert = page.getByRole('alert').filter({ hasText: 'Hub unreachable' });
    await expect(alert).toContainText('The IoT hub at 127.0.0.1 did not answer.');
    await expect(alert).toContainText('Start the local hub with npm run hub.');

    await page.unroute('**/api/devices');
    await expect(deviceRow(page, third).getByText('Connected', { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(alert).toBeHidden();
  });

  test('[ERRORS]: a hub without devices says how to start some', async ({ page }) => {
    await page.route('**/api/devices', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ devices: [], fetchedAt: new Date().toISOString() }) }),
    );
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'No devices yet' })).toBeVisible();
    await expect(page.getByText('npm run simulate -- --count 3')).toBeVisible();
  });

  test('[ERRORS]: an unknown device id gets a not-found page', async ({ page }) => {
    // The page streams behind its loading skeleton, so the status is already 200 when the hub says 404.
    await page.goto('/devices/no-such-device');
    await expect(page.getByRole('heading', { name: 'No such device' })).toBeVisible();
    await page.getByRole('link', { name: 'Back to the devices' }).click();
    await expect(page.getByRole('heading', { name: 'Devices', level: 1 })).toBeVisible();
  });
});
