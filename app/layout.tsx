import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import './globals.css';
import { readPageSettings } from './_components/page-settings';
import { Providers } from './_components/providers';
import { RebootProvider } from './_components/reboot-context';
import { SiteHeader } from './_components/site-header';

export const metadata: Metadata = {
  title: { default: 'twinboard', template: '%s · twinboard' },
  description: 'Reboot IoT Hub devices from the browser and follow each reboot until the device reports back.',
  icons: { icon: '/icon.svg' },
};

export const viewport: Viewport = {
  themeColor: '#0f172a',
  width: 'device-width',
  initialScale: 1,
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const settings = await readPageSettings();
  return (
    <html lang="en">
      <body className="min-h-dvh bg-slate-50 text-slate-900 antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900 focus:shadow"
        >
          Skip to content
        </a>
        <SiteHeader settings={settings} />
        <Providers pollIntervalMs={settings.pollIntervalMs}>
          <RebootProvider>
            <main id="main" className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
              {children}
            </main>
          </RebootProvider>
        </Providers>
      </body>
    </html>
  );
}
