/**
 * Reads the hub file a running local hub writes (`<dataDir>/hub.json`): where its endpoints listen, its CA and
 * its service connection string. Problems come back as values with stable codes.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import type { HubFile } from '../local-hub';

export const DEFAULT_HUB_FILE = '.local-hub/hub.json';

// The shape the local hub writes; a type only, so the simulator loads none of the hub's code.
export type { HubFile } from '../local-hub';

export type HubFileError =
  | { code: 'HUB_FILE_MISSING'; message: string }
  | { code: 'HUB_FILE_INVALID'; message: string };

const port = z.number().int().min(1).max(65535);

const hubFileSchema = z.object({
  hostName: z.string().min(1),
  mqttPort: port,
  httpsPort: port,
  caFile: z.string().min(1),
  serviceConnectionString: z.string().min(1),
});

/** Parses the text of a hub file; `path` resolves a relative caFile and names the file in messages. */
export function parseHubFile(text: string, path: string): HubFile | HubFileError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { code: 'HUB_FILE_INVALID', message: `${path} is not valid JSON (${(err as Error).message})` };
  }
  const parsed = hubFileSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    return { code: 'HUB_FILE_INVALID', message: `${path} is not a hub file: bad or missing ${fields}` };
  }
  const hub = parsed.data;
  return { ...hub, caFile: isAbsolute(hub.caFile) ? hub.caFile : resolve(dirname(path), hub.caFile) };
}

export async function readHubFile(path: string): Promise<HubFile | HubFileError> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return {
        code: 'HUB_FILE_MISSING',
        message: `${path} does not exist: start the hub first with "npm run hub" (it writes this file once it listens)`,
      };
    }
    return { code: 'HUB_FILE_INVALID', message: `cannot read ${path}: ${(err as Error).message}` };
  }
  return parseHubFile(text, path);
}

export function isHubFileError(value: HubFile | HubFileError): value is HubFileError {
  return 'code' in value;
}
