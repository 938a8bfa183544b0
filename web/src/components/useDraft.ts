/**
 * Keeps a form's values in sessionStorage, so nothing typed is lost on an error, a network failure or
 * a reload — but not beyond the browser tab, since the values are personal data on a shared desk PC.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export function useDraft<T>(key: string, initial: T) {
  const storageKey = `tongban.draft.${key}`;
  const restored = useRef(false);
  const [value, setValue] = useState<T>(() => {
    const raw = sessionStorage.getItem(storageKey);
    if (!raw) return initial;
    restored.current = true;
    try {
      return { ...initial, ...JSON.parse(raw) };
    } catch {
      return initial;
    }
  });
  useEffect(() => {
    sessionStorage.setItem(storageKey, JSON.stringify(value));
  }, [storageKey, value]);
  const clear = useCallback(() => {
    sessionStorage.removeItem(storageKey);
    restored.current = false;
    setValue(initial);
  }, [storageKey]); // eslint-disable-line react-hooks/exhaustive-deps
  return { value, setValue, clear, wasRestored: restored.current };
}
