/**
 * Browser tests: Debian's Chromium (Playwright cannot download its own browsers here) against the real
 * product, started once by global-setup.ts: local hub, simulated devices, `next build` + `next start`.
 * One worker: the tests share that hub and its devices.
 */
import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './chromium';

const CI = Boolean(process.env.CI);

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  globalSetup: './global-setup.ts',
  outputDir: '../../test-results/e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: CI ? [['list'], ['html', { open: 'never', outputFolder: '../../playwright-report' }]] : 'list',
  use: {
    // Set by global-setup.ts before the workers start.
    baseURL: process.env.TWINBOARD_E2E_URL,
    trace: 'on-first-retry',
    screenshot: 'only-on-failure',
    launchOptions: CHROMIUM_LAUNCH,
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], channel: undefined }, testIgnore: '*.phone.spec.ts' },
    { name: 'phone', use: { ...devices['Pixel 7'], channel: undefined }, testMatch: '*.phone.spec.ts' },
  ],
});
