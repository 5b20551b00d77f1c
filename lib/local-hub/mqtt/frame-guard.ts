/**
 * Follows MQTT framing (MQTT 3.1.1 §2.2: one type byte, then a 1–4 byte "remaining length") over a byte
 * stream and reports the first packet that declares more than `maxRemainingLength` bytes, before its body has
 * been buffered. The parser aedes uses accepts up to 256 MB per packet; this bounds what a device can make the
 * hub hold in memory. Pure state machine: feed it chunks in order.
 */

export type FrameVerdict =
  | { ok: true }
  | { ok: false; reason: string; packetType: number; declaredLength?: number; topic?: string };

const PUBLISH = 3;

export class FrameGuard {
  private typeByte = -1;
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private remaining = 0;
  private tripped = false;

  constructor(private readonly maxRemainingLength: number) {}

  feed(chunk: Uint8Array): FrameVerdict {
    if (this.tripped) return { ok: true };
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining > 0) {
        const skip = Math.min(this.remaining, chunk.length - i);
        this.remaining -= skip;
        i += skip;
        continue;
      }
      const byte = chunk[i] as number;
      i += 1;
      if (this.typeByte < 0) {
        this.typeByte = byte;
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes += 1;
      const packetType = this.typeByte >> 4;
      if (byte & 0x80) {
        if (this.lengthBytes === 4) {
          this.tripped = true;
          return { ok: false, reason: 'malformed remaining length (more than 4 bytes)', packetType };
        }
        continue;
      }
      if (this.length > this.maxRemainingLength) {
        this.tripped = true;
        const topic = packetType === PUBLISH ? peekTopic(chunk, i) : undefined;
        return {
          ok: false,
          reason: `packet of ${this.length} bytes exceeds the limit of ${this.maxRemainingLength}`,
          packetType,
          declaredLength: this.length,
          ...(topic !== undefined ? { topic } : {}),
        };
      }
      this.remaining = this.length;
      this.typeByte = -1;
    }
    return { ok: true };
  }
}

/** The topic name of a PUBLISH whose variable header starts at `offset`, if the chunk holds all of it. */
function peekTopic(chunk: Uint8Array, offset: number): string | undefined {
  if (offset + 2 > chunk.length) return undefined;
  const size = ((chunk[offset] as number) << 8) | (chunk[offset + 1] as number);
  if (offset + 2 + size > chunk.length) return undefined;
  return Buffer.from(chunk.buffer, chunk.byteOffset + offset + 2, size).toString('utf8');
}
