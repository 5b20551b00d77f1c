import type { StackInfo } from './stack';

/** Where global-setup.ts started the product and which devices it has. */
export function stackInfo(): StackInfo {
  const raw = process.env.TWINBOARD_E2E_STACK;
  if (!raw) throw new Error('TWINBOARD_E2E_STACK is not set: run the browser tests with `npm run test:e2e`.');
  return JSON.parse(raw) as StackInfo;
}
