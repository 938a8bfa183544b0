/** MAT-2: the printable one-time notice listing every missing item. */
import { useQuery } from '@tanstack/react-query';
import { Button, Spin } from 'antd';
import { Link, useParams } from 'react-router';
import { api } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { formatDate, useI18n } from '../i18n';

export function NoticePage() {
  const { id } = useParams();
  const { t, pick, lang } = useI18n();
  const q = useQuery({ queryKey: ['case', id, 'notice'], queryFn: () => api(`/api/cases/${id}/notices/missing-materials`) });
  const c = useQuery({ queryKey: ['case', id], queryFn: () => api(`/api/cases/${id}`) });
  if (q.isLoading || c.isLoading) return <Spin aria-label={t('common.loading')} />;
  if (q.error) return <ErrorBox error={q.error} />;
  const n = q.data;
  return (
    <article style={{ background: '#fff', padding: 32, maxWidth: 800, margin: '0 auto' }}>
      <p className="no-print"><Link to={`/cases/${id}`}>← {t('common.back')}</Link> <Button onClick={() => window.print()} style={{ marginLeft: 16 }}>{t('common.print')}</Button></p>
      <h1 style={{ textAlign: 'center' }}>{t('notice.title')}</h1>
      <p>{n.applicant.nameMasked}（{n.applicant.idNumberMasked}）：</p>
      <p>{t('notice.intro', { matter: pick(c.data.matter), no: n.caseNo })}</p>
      {n.stillMissing.length ? (
        <ol>{n.stillMissing.map((m: any) => <li key={m.code} style={{ fontSize: 18, marginBottom: 8 }}>{pick(m)}</li>)}</ol>
      ) : <p>{t('notice.none')}</p>}
      <p>{t('notice.issuedBy', { org: n.issuedBy })}</p>
      <p>{t('notice.date', { date: formatDate(n.issued?.on ?? new Date().toISOString(), lang) })}</p>
      <p style={{ marginTop: 48 }}>{t('notice.sign')}</p>
    </article>
  );
}
