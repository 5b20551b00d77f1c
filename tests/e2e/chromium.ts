/**
 * How the browser tests launch Debian's Chromium: Playwright cannot download its own browsers on these machines.
 * Without the background-networking flags Chromium keeps dialling Google's hosts, which this closed network refuses.
 */
export const CHROMIUM_LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
