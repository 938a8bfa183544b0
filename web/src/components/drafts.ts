/** Where form drafts live in sessionStorage (useDraft.ts), and wiping them all at logout. */
export const DRAFT_PREFIX = 'tongban.draft.';

/** Wipes every form draft of this tab: the next person at a shared desk PC finds none. */
export function clearDrafts() {
  for (const key of Object.keys(sessionStorage)) if (key.startsWith(DRAFT_PREFIX)) sessionStorage.removeItem(key);
}
