/**
 * Keeps a form's values in sessionStorage, so nothing typed is lost on an error, a network failure or
 * a reload — but not beyond the browser tab, and never for anyone else: the values are personal data on
 * a shared desk PC. A draft belongs to the account that typed it (restored only for that account) and
 * every draft is wiped at logout (issue 15 item 13).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useMe } from '../session';
import { DRAFT_PREFIX as PREFIX } from './drafts';

export function useDraft<T>(key: string, initial: T) {
  const me = useMe();
  const owner = me.data ? `${me.data.kind}:${me.data.id}` : 'nobody';
  const storageKey = `${PREFIX}${key}`;
  const restored = useRef(false);
  const [value, setValue] = useState<T>(() => {
    const raw = sessionStorage.getItem(storageKey);
    if (!raw) return initial;
    try {
      const stored = JSON.parse(raw) as { owner?: string; values?: Partial<T> };
      // another account's draft (a session that timed out on a shared PC) is never shown
      if (stored.owner !== owner) {
        sessionStorage.removeItem(storageKey);
        return initial;
      }
      restored.current = true;
      return { ...initial, ...stored.values };
    } catch {
      return initial;
    }
  });
  useEffect(() => {
    sessionStorage.setItem(storageKey, JSON.stringify({ owner, values: value }));
  }, [storageKey, owner, value]);
  const clear = useCallback(() => {
    sessionStorage.removeItem(storageKey);
    restored.current = false;
    setValue(initial);
  }, [storageKey]); // eslint-disable-line react-hooks/exhaustive-deps
  return { value, setValue, clear, wasRestored: restored.current };
}
