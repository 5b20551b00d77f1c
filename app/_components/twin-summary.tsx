import type { DeviceSummary } from '@/lib/dashboard/types';
import { ConnectionBadge } from './connection-badge';
import { Timestamp } from './timestamp';

type Json = Record<string, unknown>;

function asObject(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

/** A twin section without the hub's bookkeeping keys ($metadata, $version). */
function userProperties(section: unknown): Array<[string, unknown]> {
  return Object.entries(asObject(section)).filter(([key]) => !key.startsWith('$'));
}

function PropertyValue({ value }: { value: unknown }) {
  if (value === null) return <span className="text-slate-500">null</span>;
  if (typeof value === 'object') {
    return <code className="block max-w-full overflow-x-auto whitespace-pre font-mono text-xs text-slate-800">{JSON.stringify(value, null, 2)}</code>;
  }
  return <code className="break-all font-mono text-xs text-slate-800">{JSON.stringify(value)}</code>;
}

function PropertyList({ title, section, empty }: { title: string; section: unknown; empty: string }) {
  const entries = userProperties(section);
  const version = asObject(section)['$version'];
  return (
    <section aria-label={title} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <h3 className="flex items-baseline justify-between text-sm font-semibold text-slate-900">
        {title}
        {typeof version === 'number' && <span className="text-xs font-normal text-slate-500">version {version}</span>}
      </h3>
      {entries.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500">{empty}</p>
      ) : (
        <dl className="mt-2 divide-y divide-slate-100 text-sm">
          {entries.map(([key, value]) => (
            <div key={key} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-2">
              <dt className="font-mono text-xs text-slate-500">{key}</dt>
              <dd className="min-w-0 max-w-full">
                <PropertyValue value={value} />
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

/** The twin at a glance: identity fields first, then reported, desired and tags; the raw JSON folds away. */
export function TwinSummary({ device, twin }: { device: DeviceSummary; twin: Json }) {
  const properties = asObject(twin['properties']);
  return (
    <div className="flex flex-col gap-4">
      <dl className="grid grid-cols-2 gap-4 rounded-xl border border-slate-200 bg-white p-4 text-sm shadow-sm lg:grid-cols-4">
        <div>
          <dt className="text-slate-500">Status</dt>
          <dd className="mt-1 font-medium capitalize">{device.status}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Connection</dt>
          <dd className="mt-1">
            <ConnectionBadge state={device.connectionState} />
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Last activity</dt>
          <dd className="mt-1">
            <Timestamp iso={device.lastActivityTime} fallback="None recorded" />
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Last reboot</dt>
          <dd className="mt-1">
            <Timestamp iso={device.lastRebootTime} fallback="Never reported" />
          </dd>
        </div>
      </dl>
      <div className="grid gap-4 lg:grid-cols-3">
        <PropertyList title="Reported properties" section={properties['reported']} empty="The device has reported nothing yet." />
        <PropertyList title="Desired properties" section={properties['desired']} empty="No desired properties set." />
        <PropertyList title="Tags" section={twin['tags']} empty="No tags." />
      </div>
      <details className="group rounded-xl border border-slate-200 bg-white shadow-sm">
        <summary className="cursor-pointer rounded-xl px-4 py-3 text-sm font-semibold text-slate-900 select-none hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-sky-600">
          Twin JSON
          <span className="ml-2 text-xs font-normal text-slate-500 group-open:hidden">show everything the hub returned</span>
        </summary>
        <pre className="max-h-[32rem] overflow-auto border-t border-slate-200 bg-slate-950 p-4 font-mono text-xs leading-relaxed text-slate-100">
          {JSON.stringify(twin, null, 2)}
        </pre>
      </details>
    </div>
  );
}
