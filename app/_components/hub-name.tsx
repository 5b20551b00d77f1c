import type { PageSettings } from './page-settings';

/** The hub this dashboard talks to, by host name only: the connection string holds a key and stays on the server. */
export function HubName({ hubHostName, hubKind }: Pick<PageSettings, 'hubHostName' | 'hubKind'>) {
  const label = hubHostName ?? 'no hub configured';
  const detail = hubKind === 'local' ? 'local hub' : hubKind === 'azure' ? 'Azure IoT Hub' : null;
  return (
    <p className="flex min-w-0 items-center gap-2 text-sm text-slate-300">
      <span className="hidden sm:inline">Hub</span>
      <span className="sr-only sm:hidden">Hub:</span>
      <span className="truncate rounded-md bg-white/10 px-2 py-0.5 font-mono text-xs text-white ring-1 ring-white/15" title={detail ? `${detail}: ${label}` : label}>
        {label}
      </span>
      {detail && <span className="hidden text-xs text-slate-400 md:inline">{detail}</span>}
    </p>
  );
}
