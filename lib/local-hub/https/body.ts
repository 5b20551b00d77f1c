/**
 * Reads a JSON request body with a size limit: refused early when Content-Length already exceeds it and
 * again while streaming (a body without Content-Length, or one that lies), so a large upload never sits in
 * memory. Bad input is a HubError value, never a throw.
 */
import type { IncomingMessage } from 'node:http';
import { HubError } from '../errors';

export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown | HubError> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return new HubError('MessageTooLarge', `The request body is ${declared} bytes; the limit for this operation is ${limit} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        return new HubError('MessageTooLarge', `The request body is over the limit of ${limit} bytes for this operation.`);
      }
      chunks.push(chunk);
    }
  } catch {
    return new HubError('ArgumentInvalid', 'The request body could not be read.');
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return new HubError('ArgumentNull', 'The request needs a JSON body.');
  const type = req.headers['content-type'];
  if (type !== undefined && !/json/i.test(type)) {
    return new HubError('UnsupportedMediaType', `The request body must be JSON (Content-Type: application/json), not ${type}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    return new HubError('ArgumentInvalid', `The request body is not valid JSON: ${(err as Error).message}`);
  }
}
