import Link from 'next/link';

/** An id the hub does not know: say so plainly and lead back to the list. */
export function DeviceNotFound({ deviceId }: { deviceId?: string }) {
  return (
    <div className="mx-auto max-w-xl rounded-xl border border-slate-200 bg-white p-6 text-center shadow-sm">
      <p className="text-sm font-semibold text-sky-700">404</p>
      <h1 className="mt-1 text-xl font-semibold">{deviceId ? `No device called “${deviceId}”` : 'No such device'}</h1>
      <p className="mt-2 text-sm text-slate-600">
        The hub has no device with this id. It may have been deleted, or the address has a typo.
      </p>
      <Link href="/" className="mt-4 inline-block rounded-lg bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600">
        Back to the devices
      </Link>
    </div>
  );
}
