// JSON Merge Patch (RFC 7386): objects merge key by key, null deletes a key, anything
// else (arrays included) replaces. Pure; the target is never modified.

import { clone, isObject, type Json } from './json.js';

export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const result: { [key: string]: Json } = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key] ?? null, value);
  }
  return result;
}
