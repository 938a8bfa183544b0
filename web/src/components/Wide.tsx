/** A table that may be wider than the screen scrolls inside a focusable region, so the keyboard can scroll it too. */
import type { ReactNode } from 'react';

/**
 * `minWidth`: below it the region scrolls. The default keeps the columns at their natural width, so a
 * narrow screen scrolls rather than squeezing them into one-character columns; a table with long
 * text gives a width instead, so its cells wrap on a desktop screen.
 */
export function Wide({ label, children, minWidth = 'max-content' }: { label: string; children: ReactNode; minWidth?: number | 'max-content' }) {
  return <div role="region" aria-label={label} tabIndex={0} style={{ overflowX: 'auto' }}><div style={{ minWidth }}>{children}</div></div>;
}
