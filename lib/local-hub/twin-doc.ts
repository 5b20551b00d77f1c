/**
 * The twin document and its rules, as pure functions over plain JSON (no I/O): JSON merge patch with `null`
 * deleting (RFC 7396, behaviour §1.2), per-leaf `$metadata` (`$lastUpdated`, plus `$lastUpdatedVersion` on
 * desired), section `$version`s that grow with every accepted write, the twin `version`, and the limits the
 * real hub enforces (behaviour §1.2): tags ≤ 8 KB, desired and reported ≤ 32 KB each, keys without `.`, `$` or
 * space and at most 1 KB, string values at most 4 KB, nesting depth at most 10.
 */
import { HubError } from './errors';
import type { DeviceTwinView, JsonObject } from './types';

/** `$metadata` in wire shape (wire §3): `$`-prefixed stamps plus one child per property key. */
export type MetadataNode = { $lastUpdated: string; $lastUpdatedVersion?: number; [key: string]: unknown };

export interface TwinSection {
  props: JsonObject;
  metadata: MetadataNode;
  version: number;
}

export interface TwinDoc {
  tags: JsonObject;
  desired: TwinSection;
  reported: TwinSection;
  /** Grows on every twin change (wire §3). */
  version: number;
  /** Grows when tags or desired change; the etag is derived from it (wire §3). */
  etagVersion: number;
}

export type SectionName = 'tags' | 'desired' | 'reported';

export const SIZE_LIMITS: Record<SectionName, number> = { tags: 8 * 1024, desired: 32 * 1024, reported: 32 * 1024 };
export const MAX_KEY_BYTES = 1024;
export const MAX_STRING_BYTES = 4 * 1024;
export const MAX_DEPTH = 10;

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function emptyTwin(now: string): TwinDoc {
  return {
    tags: {},
    desired: { props: {}, metadata: { $lastUpdated: now, $lastUpdatedVersion: 1 }, version: 1 },
    reported: { props: {}, metadata: { $lastUpdated: now }, version: 1 },
    version: 1,
    etagVersion: 1,
  };
}

/** The etag the real hub shows: base64 of a 64-bit big-endian counter, e.g. "AAAAAAAAAAE=" (wire §3). */
export function etagOf(counter: number): string {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(BigInt(counter));
  return buf.toString('base64');
}

/** Drops the read-only `$version` and `$metadata` a client may send back from a twin it read. */
function withoutReadOnly(value: JsonObject): JsonObject {
  const { $version: _v, $metadata: _m, ...rest } = value;
  return rest;
}

function validateValue(section: SectionName, path: string, value: unknown, depth: number): HubError | null {
  if (depth > MAX_DEPTH) {
    return new HubError('ArgumentInvalid', `${section}: "${path}" nests deeper than ${MAX_DEPTH} levels.`);
  }
  if (typeof value === 'string') {
    if (Buffer.byteLength(value) > MAX_STRING_BYTES) {
      return new HubError('ArgumentInvalid', `${section}: the value of "${path}" is longer than ${MAX_STRING_BYTES} bytes.`);
    }
    return null;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return new HubError('ArgumentInvalid', `${section}: "${path}" is not a finite number.`);
    return null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const err = validateValue(section, `${path}[${i}]`, value[i], depth + 1);
      if (err) return err;
    }
    return null;
  }
  if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const err = validateKey(section, path, key) ?? validateValue(section, path ? `${path}.${key}` : key, child, depth + 1);
      if (err) return err;
    }
  }
  return null;
}

function validateKey(section: SectionName, parent: string, key: string): HubError | null {
  const where = parent ? ` in "${parent}"` : '';
  if (key.length === 0) return new HubError('ArgumentInvalid', `${section}: a property name${where} is empty.`);
  const bad = /[.$ ]/.exec(key);
  if (bad) {
    return new HubError(
      'ArgumentInvalid',
      `${section}: the property name "${key.slice(0, 100)}"${where} contains "${bad[0]}"; names may not contain ".", "$" or spaces.`,
    );
  }
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    return new HubError('ArgumentInvalid', `${section}: a property name${where} is longer than ${MAX_KEY_BYTES} bytes.`);
  }
  return null;
}

/** Validates a patch (or replacement) for one section; returns the patch without read-only keys, or an error. */
export function checkSectionPatch(section: SectionName, patch: unknown): JsonObject | HubError {
  if (!isPlainObject(patch)) return new HubError('ArgumentInvalid', `${section} must be a JSON object.`);
  const clean = withoutReadOnly(patch);
  return validateValue(section, '', clean, 1) ?? clean;
}

function stamp(now: string, version: number | undefined): MetadataNode {
  return version === undefined ? { $lastUpdated: now } : { $lastUpdated: now, $lastUpdatedVersion: version };
}

/** RFC 7396 merge of `patch` into `target`, keeping `meta` (when given) in step with per-leaf stamps. */
function merge(target: JsonObject, meta: MetadataNode | null, patch: JsonObject, now: string, version: number | undefined): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete target[key];
      if (meta) delete meta[key];
      continue;
    }
    if (isPlainObject(value)) {
      let child = target[key];
      let childMeta = meta ? (meta[key] as MetadataNode | undefined) : null;
      if (!isPlainObject(child)) {
        child = {};
        target[key] = child;
        childMeta = null;
      }
      if (meta) {
        childMeta = { ...(isPlainObject(childMeta) ? childMeta : {}), ...stamp(now, version) } as MetadataNode;
        meta[key] = childMeta;
      }
      merge(child as JsonObject, meta ? (childMeta as MetadataNode) : null, value, now, version);
      continue;
    }
    target[key] = structuredClone(value);
    if (meta) meta[key] = stamp(now, version);
  }
}

/** Drops nulls (a replacement has nothing to delete). */
function withoutNulls(value: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === null) continue;
    out[key] = isPlainObject(child) ? withoutNulls(child) : child;
  }
  return out;
}

function sizeError(section: SectionName, props: JsonObject): HubError | null {
  const size = Buffer.byteLength(JSON.stringify(props));
  if (size <= SIZE_LIMITS[section]) return null;
  return new HubError(
    'ArgumentInvalid',
    `${section} would be ${size} bytes after this change; the limit is ${SIZE_LIMITS[section]} bytes.`,
  );
}

export interface TwinChange {
  tags?: { mode: 'patch' | 'replace'; value: JsonObject };
  desired?: { mode: 'patch' | 'replace'; value: JsonObject };
  reported?: { mode: 'patch' | 'replace'; value: JsonObject };
}

/**
 * Applies a validated change to a copy of `doc`. Returns the new document, or an error if a section would
 * exceed its size limit (then nothing changes). Every touched section's `$version` grows by one.
 */
export function applyTwinChange(doc: TwinDoc, change: TwinChange, now: string): TwinDoc | HubError {
  const next = structuredClone(doc);
  let touched = false;
  if (change.tags) {
    if (change.tags.mode === 'replace') next.tags = withoutNulls(change.tags.value);
    else merge(next.tags, null, change.tags.value, now, undefined);
    const err = sizeError('tags', next.tags);
    if (err) return err;
    touched = true;
  }
  for (const name of ['desired', 'reported'] as const) {
    const part = change[name];
    if (!part) continue;
    const section = next[name];
    const version = section.version + 1;
    const metaVersion = name === 'desired' ? version : undefined;
    if (part.mode === 'replace') {
      section.props = {};
      section.metadata = stamp(now, metaVersion);
    }
    merge(section.props, section.metadata, part.value, now, metaVersion);
    Object.assign(section.metadata, stamp(now, metaVersion));
    section.version = version;
    const err = sizeError(name, section.props);
    if (err) return err;
    touched = true;
  }
  if (touched) next.version += 1;
  if (change.tags || change.desired) next.etagVersion += 1;
  return next;
}

/** The twin as a device reads it over MQTT: no `$metadata`, each section with its `$version` (wire §1.4). */
export function deviceTwinView(doc: TwinDoc): DeviceTwinView {
  return {
    desired: { ...structuredClone(doc.desired.props), $version: doc.desired.version },
    reported: { ...structuredClone(doc.reported.props), $version: doc.reported.version },
  };
}

/** `properties` as the service REST API shows it (wire §3). */
export function servicePropertiesView(doc: TwinDoc): { desired: JsonObject; reported: JsonObject } {
  const section = (s: TwinSection) => ({ ...s.props, $metadata: s.metadata, $version: s.version });
  return { desired: section(doc.desired), reported: section(doc.reported) };
}
