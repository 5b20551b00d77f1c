/**
 * Takes the README screenshots from the real product: starts tests/e2e/stack.ts (hub, simulated devices,
 * production build), reboots devices like a person would, and saves:
 *   public/screenshot-devices.png        the device list (desktop), one device mid-reboot
 *   public/screenshot-device.png         a device page with its twin and reboot history
 *   public/screenshot-devices-phone.png  the device list on a phone
 *
 * Usage: node --import tsx tests/e2e/screenshots.ts [--skip-build]
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, expect, type Page } from '@playwright/test';
import { isMain, parseCli, runMain } from '../../scripts/_shared/cli';
import { CHROMIUM_LAUNCH } from './chromium';
import type { StackInfo } from './stack';

const ROOT = resolve(import.meta.dirname, '../..');
const READY_PREFIX = 'TWINBOARD_E2E_READY ';
const USAGE = `
Usage: node --import tsx tests/e2e/screenshots.ts [--skip-build]

Starts the browser-test stack and writes public/screenshot-devices.png, public/screenshot-device.png and
public/screenshot-devices-phone.png.
  --skip-build   reuse the last build in .next/e2e
`;

async function reboot(page: Page, deviceId: string): Promise<void> {
  await page.getByRole('button', { name: `Reboot ${deviceId}`, exact: true }).first().click();
  await page.getByRole('dialog').getByRole('button', { name: `Reboot ${deviceId}` }).click();
}

function deviceRow(page: Page, deviceId: string) {
  return page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: deviceId, exact: true }) });
}

export async function main(argv: string[]): Promise<void> {
  const values = parseCli(argv, { 'skip-build': { type: 'boolean' } }, USAGE);
  if (values === null) return;

  const stack = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/e2e/stack.ts'), ...(values['skip-build'] ? ['--skip-build'] : [])], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((done) => stack.once('exit', () => done()));
  try {
    const info = await new Promise<StackInfo>((done, fail) => {
      createInterface({ input: stack.stdout }).on('line', (line) => {
        if (line.startsWith(READY_PREFIX)) done(JSON.parse(line.slice(READY_PREFIX.length)) as StackInfo);
      });
      void exited.then(() => fail(new Error('the stack exited before it was ready')));
    });
    const [first, second, third] = info.devices as [string, string, string];

    const browser = await chromium.launch(CHROMIUM_LAUNCH);
    try {
      const desktop = await browser.newPage({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1, baseURL: info.url });
      await desktop.goto('/');
      await expect(deviceRow(desktop, third).getByText('Connected', { exact: true })).toBeVisible({ timeout: 30_000 });

      // A finished reboot with its answer, a failed one, then one caught mid-reboot.
      await reboot(desktop, first);
      await expect(deviceRow(desktop, first).getByText(/^Confirmed/)).toBeVisible({ timeout: 30_000 });
      await reboot(desktop, info.offlineDevice);
      await expect(desktop.getByRole('alert').filter({ hasText: info.offlineDevice })).toBeVisible();
      await reboot(desktop, second);
      await expect(deviceRow(desktop, second).getByText('Rebooting…', { exact: true })).toBeVisible({ timeout: 30_000 });
      await desktop.mouse.move(0, 0);
      await desktop.screenshot({ path: join(ROOT, 'public/screenshot-devices.png') });

      await expect(deviceRow(desktop, second).getByText(/^Confirmed/)).toBeVisible({ timeout: 30_000 });
      await reboot(desktop, first);
      await expect(deviceRow(desktop, first).getByText(/^Confirmed/)).toBeVisible({ timeout: 30_000 });

      await desktop.goto(`/devices/${first}`);
      await expect(desktop.getByRole('list', { name: 'Reboots, newest first' }).getByRole('listitem').nth(1)).toBeVisible();
      await desktop.setViewportSize({ width: 1280, height: 1000 });
      await desktop.screenshot({ path: join(ROOT, 'public/screenshot-device.png') });

      const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, baseURL: info.url });
      await phone.goto('/');
      await expect(phone.getByRole('list', { name: 'Devices' }).getByRole('listitem').first()).toBeVisible({ timeout: 30_000 });
      await phone.screenshot({ path: join(ROOT, 'public/screenshot-devices-phone.png') });
    } finally {
      await browser.close();
    }
  } finally {
    if (stack.exitCode === null) stack.kill('SIGINT');
    await exited;
  }
  process.stdout.write('wrote public/screenshot-devices.png, public/screenshot-device.png, public/screenshot-devices-phone.png\n');
}

if (isMain(import.meta.url)) runMain('screenshots', main);
