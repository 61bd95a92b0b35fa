// A setting as the form shows it (a draft: the text or box the user edits) and back.
import type { ResponseOf, SettingField, SettingValue } from '../../../shared/contract.ts';

export type Draft = string | boolean;

/** What a form control holds, as the text or box the user sees. */
export function draftOf(field: SettingField): Draft {
  const value = field.value ?? (field.optional ? undefined : field.defaultValue);
  switch (field.kind) {
    case 'boolean':
      return value === true;
    case 'list':
      return Array.isArray(value) ? value.join('\n') : '';
    case 'map-string':
    case 'map-boolean':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? Object.entries(value)
            .map(([k, v]) => `${k} = ${String(v)}`)
            .join('\n')
        : '';
    default:
      return value === undefined ? '' : String(value);
  }
}

/** The value a draft stands for, null to remove an optional key, or why it cannot be one. */
export function valueOf(field: SettingField, draft: Draft): { value: SettingValue | null } | { problem: string } {
  if (typeof draft === 'boolean') return { value: draft };
  const text = draft.trim();
  switch (field.kind) {
    case 'number':
    case 'integer': {
      if (text === '' && field.optional) return { value: null };
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) return { problem: 'must be a number' };
      if (field.kind === 'integer' && !Number.isInteger(n)) return { problem: 'must be a whole number' };
      return { value: n };
    }
    case 'list':
      return {
        value: draft
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== ''),
      };
    case 'map-string':
    case 'map-boolean': {
      const map: Record<string, string | boolean> = {};
      for (const [i, line] of draft.split('\n').entries()) {
        if (line.trim() === '') continue;
        const at = line.indexOf('=');
        if (at === -1) return { problem: `line ${i + 1}: write it as key = value` };
        const key = unquote(line.slice(0, at));
        const raw = unquote(line.slice(at + 1));
        if (key === '') return { problem: `line ${i + 1}: the key is empty` };
        if (field.kind === 'map-boolean') {
          if (raw !== 'true' && raw !== 'false') return { problem: `line ${i + 1}: the value must be true or false` };
          map[key] = raw === 'true';
        } else map[key] = raw;
      }
      return { value: map };
    }
    case 'string':
      return text === '' && field.optional ? { value: null } : { value: draft };
    default:
      return { value: draft };
  }
}

function unquote(text: string): string {
  const t = text.trim();
  return t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) ? t.slice(1, -1) : t;
}

/** Changed values to send, and the problems the form itself sees (a number that is not one). */
export function changes(read: ResponseOf<'readSettings'> | undefined, drafts: Record<string, Draft>): { values: Record<string, SettingValue | null>; local: Record<string, string> } {
  const values: Record<string, SettingValue | null> = {};
  const local: Record<string, string> = {};
  for (const field of read?.fields ?? []) {
    const draft = drafts[field.key];
    // Typed back to what the form first showed (a default, for an absent key): no change to write.
    if (draft === undefined || draft === draftOf(field)) continue;
    const converted = valueOf(field, draft);
    if ('problem' in converted) local[field.key] = converted.problem;
    else if (JSON.stringify(converted.value) !== JSON.stringify(field.value ?? null)) values[field.key] = converted.value;
  }
  return { values, local };
}
