'use client';

import { createContext, useContext } from 'react';
import { DEFAULT_POLL_MS } from './keys';

/** The idle poll interval from the server's settings, provided once by the root layout. */
const PollIntervalContext = createContext<number>(DEFAULT_POLL_MS);

export const PollIntervalProvider = PollIntervalContext.Provider;

export function useIdlePollInterval(): number {
  return useContext(PollIntervalContext);
}
