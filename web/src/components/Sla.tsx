/** The countdown: words first (never colour alone), colour as a second cue. */
import { useI18n, formatDate } from '../i18n';

export type SlaStatus = { dueOn: string | null; remainingWd: number; overdue: boolean; dueSoon: boolean; paused: boolean; provisional?: boolean } | null;

export function Sla({ sla, showDate = true }: { sla: SlaStatus; showDate?: boolean }) {
  const { t, lang } = useI18n();
  if (!sla) return <span className="sla muted">{t('sla.none')}</span>;
  if (sla.paused) return <span className="sla paused">{t('sla.paused')}</span>;
  const [cls, text] = sla.overdue
    ? ['overdue', `⚠ ${t('sla.overdue', { n: Math.max(1, -sla.remainingWd) })}`]
    : sla.remainingWd === 0
      ? ['soon', `⏰ ${t('sla.dueToday')}`]
      : sla.dueSoon
        ? ['soon', `⏰ ${t('sla.dueSoon', { n: sla.remainingWd })}`]
        : ['ok', t('sla.remaining', { n: sla.remainingWd })];
  return (
    <span className={`sla ${cls}`}>
      {text}
      {showDate && sla.dueOn && <span className="muted" style={{ fontWeight: 400 }}>（{t('sla.due', { date: formatDate(sla.dueOn, lang) })}{sla.provisional ? t('sla.provisional') : ''}）</span>}
    </span>
  );
}
