/** DOC-3 on the portal: the holder's certificates, each with its electronic certificate while it is valid. */
import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import { formatDate, useI18n } from '../i18n';
import { categoryShort } from './disabilityText';

export function MyCertificates() {
  const { t, lang } = useI18n();
  const q = useQuery({ queryKey: ['my-certificates'], queryFn: () => api('/api/portal/certificates') });
  const items: any[] = q.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="my-certs-title" style={{ marginBottom: 24 }}>
      <h2 id="my-certs-title" style={{ fontSize: 20 }}>{t('cards.mineTitle')}</h2>
      <p className="muted">{t('cards.mineIntro')}</p>
      <ul className="plain-list">
        {items.map((c) => (
          <li key={c.id} style={{ marginBottom: 8 }}>
            {c.numberMasked}　{categoryShort(c.category, lang)}　{t('cards.validity', { date: formatDate(c.validUntil, lang) })}　
            {c.state === 'active'
              ? <a href={`/api/portal/certificates/${c.id}/electronic.pdf`} target="_blank" rel="noreferrer">{t('cards.download')}</a>
              : <span>{t('cards.notValid')}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
