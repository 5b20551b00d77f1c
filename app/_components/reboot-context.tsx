'use client';

import { createContext, startTransition, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { rebootDevice } from '@/lib/actions/reboot-device';
import type { DeviceSummary, RebootActionState, RebootEntry } from '@/lib/dashboard/types';
import { isInFlight } from '@/lib/swr/keys';
import { refreshDevices } from '@/lib/swr/mutate';
import { ConfirmRebootDialog } from './confirm-reboot-dialog';
import { newestEntry } from './newest-entry';

interface RebootAttempt {
  /** The server action is running (the hub is calling the device's method). */
  pending: boolean;
  /** What the action answered; null until it has. */
  result: RebootActionState;
  /** When the answer arrived (Date.now()), to let polling take over after a while. */
  receivedAt: number;
}

interface RebootContextValue {
  attempts: Readonly<Record<string, RebootAttempt>>;
  /** Opens the confirmation for a device; focus returns to `trigger` when the dialog closes. */
  requestReboot(device: Pick<DeviceSummary, 'deviceId' | 'connectionState'>, trigger: HTMLElement | null): void;
}

const RebootContext = createContext<RebootContextValue | null>(null);

/**
 * Holds every reboot attempt made from this browser tab, keyed by device, so the list's table row, its
 * phone-sized card and the device page all show the same answer and the same progress, and one confirmation
 * dialog serves them all.
 */
export function RebootProvider({ children }: { children: ReactNode }) {
  const [attempts, setAttempts] = useState<Record<string, RebootAttempt>>({});
  const [target, setTarget] = useState<Pick<DeviceSummary, 'deviceId' | 'connectionState'> | null>(null);
  const triggerRef = useRef<HTMLElement | null>(null);

  const requestReboot = useCallback<RebootContextValue['requestReboot']>((device, trigger) => {
    triggerRef.current = trigger;
    setTarget(device);
  }, []);

  const confirm = useCallback((deviceId: string) => {
    setAttempts((all) => ({ ...all, [deviceId]: { pending: true, result: null, receivedAt: Date.now() } }));
    const formData = new FormData();
    formData.set('deviceId', deviceId);
    startTransition(async () => {
      let result: RebootActionState;
      try {
        result = await rebootDevice(null, formData);
      } catch {
        // The action itself could not be reached (the dashboard server stopped or restarted).
        result = {
          ok: false,
          message: 'The dashboard server did not answer, so the reboot may not have been sent.',
          error: {
            code: 'INTERNAL',
            message: 'The dashboard server did not answer, so the reboot may not have been sent.',
            hint: 'Check that the dashboard is still running, then look at the device before trying again.',
          },
          entry: null,
        };
      }
      startTransition(() => setAttempts((all) => ({ ...all, [deviceId]: { pending: false, result, receivedAt: Date.now() } })));
      await refreshDevices();
    });
  }, []);

  const close = useCallback(() => {
    setTarget(null);
    triggerRef.current?.focus();
  }, []);

  const value = useMemo(() => ({ attempts, requestReboot }), [attempts, requestReboot]);
  return (
    <RebootContext.Provider value={value}>
      {children}
      <ConfirmRebootDialog device={target} onConfirm={confirm} onClose={close} />
    </RebootContext.Provider>
  );
}

export interface DeviceRebootView {
  /** The reboot to show: the newest of the polled one and this tab's action result. */
  entry: RebootEntry | null;
  /** The action is running, or the reboot is between request and confirmation. */
  busy: boolean;
  sending: boolean;
  /** The action's failure, while it is still the newest news about this device. */
  failure: Extract<NonNullable<RebootActionState>, { ok: false }> | null;
  requestReboot(trigger: HTMLElement | null): void;
}

export function useDeviceReboot(device: Pick<DeviceSummary, 'deviceId' | 'connectionState' | 'reboot'>): DeviceRebootView {
  const context = useContext(RebootContext);
  if (!context) throw new Error('useDeviceReboot must be used inside <RebootProvider>');
  const attempt = context.attempts[device.deviceId];
  const result = attempt?.result ?? null;
  const entry = newestEntry(device.reboot, result?.entry ?? null, attempt ? Date.now() - attempt.receivedAt : Infinity);
  const sending = attempt?.pending ?? false;
  const failure =
    result && !result.ok && !sending && (result.entry === null || entry?.id === result.entry.id) ? result : null;
  const { requestReboot } = context;
  const { deviceId, connectionState } = device;
  return {
    entry,
    busy: sending || isInFlight(entry),
    sending,
    failure,
    requestReboot: (trigger) => requestReboot({ deviceId, connectionState }, trigger),
  };
}
