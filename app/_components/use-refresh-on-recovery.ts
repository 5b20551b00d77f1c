'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';

/**
 * Re-renders the server parts of the page (the header's hub name) once polling recovers from an error:
 * the hub that was missing or unreachable may now be a different one.
 */
export function useRefreshOnRecovery(failing: boolean, hasData: boolean): void {
  const router = useRouter();
  const failed = useRef(false);
  useEffect(() => {
    if (failing) {
      failed.current = true;
    } else if (hasData && failed.current) {
      failed.current = false;
      router.refresh();
    }
  }, [failing, hasData, router]);
}
