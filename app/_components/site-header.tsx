import Link from 'next/link';
import { HubName } from './hub-name';
import type { PageSettings } from './page-settings';

export function SiteHeader({ settings }: { settings: PageSettings }) {
  return (
    <header className="bg-slate-900 text-white">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6">
        <Link
          href="/"
          className="flex shrink-0 items-center gap-2 rounded font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-sky-400"
        >
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src="/icon.svg" alt="" width={24} height={24} className="size-6" />
          <span>twinboard</span>
        </Link>
        <HubName hubHostName={settings.hubHostName} hubKind={settings.hubKind} />
      </div>
    </header>
  );
}
