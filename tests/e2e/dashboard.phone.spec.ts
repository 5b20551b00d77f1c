import { expect, test } from '@playwright/test';
import { stackInfo } from './stack-info';

const { devices } = stackInfo();

test('[PHONE]: devices show as cards with their state and a Reboot button, nothing wider than the screen', async ({ page }) => {
  await page.goto('/');
  const cards = page.getByRole('list', { name: 'Devices' });
  for (const deviceId of devices) {
    const card = cards.getByRole('listitem').filter({ has: page.getByRole('link', { name: deviceId, exact: true }) });
    await expect(card.getByText('Connected', { exact: true })).toBeVisible();
    await expect(card.getByRole('button', { name: `Reboot ${deviceId}` })).toBeVisible();
  }
  await expect(page.getByRole('table')).toBeHidden();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
