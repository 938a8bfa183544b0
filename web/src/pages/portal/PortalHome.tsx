/** My applications, in plain language, with what happens next and by when. */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, List } from 'antd';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api';
import { DATA_VIEW_LABELS } from '../../components/dataViewLabels';
import { ErrorBox } from '../../components/ErrorBox';
import { MyCertificates } from '../../components/MyCertificates';
import { formatDate, formatDateTime, useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/zh';

export function PortalHome() {
  const { t, pick, lang } = useI18n();
  const navigate = useNavigate();
  const list = useQuery({ queryKey: ['worklist', 'mine'], queryFn: () => api('/api/worklist?pageSize=50') });
  const views = useQuery({ queryKey: ['my-data-views'], queryFn: () => api('/api/applicant/data-views') });
  return (
    <>
      <h1 className="page-title">{t('portal.myCases')}</h1>
      <p><Button type="primary" size="large" onClick={() => navigate('/portal/apply')}>{t('portal.newApplication')}</Button></p>
      <MyCertificates />
      <ErrorBox error={list.error} />
      {/* one empty state (not "您还没有申请" above the list's own "暂无数据") */}
      {list.data && list.data.items.length === 0 ? <Empty image={<span aria-hidden="true">{Empty.PRESENTED_IMAGE_DEFAULT}</span>} description={t('portal.empty')} /> : (
        <List
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: ' ' }}
          renderItem={(c: any) => (
            <List.Item style={{ display: 'block', border: 0, padding: 0 }}>
            <Card style={{ marginBottom: 12 }}>
              <h2 style={{ fontSize: 18, marginTop: 0 }}><Link to={`/portal/cases/${c.id}`}>{pick(c.matter)} · {c.caseNo}</Link></h2>
              <p><strong>{t('portal.status')}：</strong>{pick(c.state)} — {t(`plain.${c.state.code}` as MessageKey)}</p>
              {/* the applicant's own deadline in words; the staff's working-day countdown is not theirs */}
              {c.state.code === 'awaiting_photo' && c.sla?.dueOn && !c.sla.paused && <p><strong>{t('portalCase.photoBy', { date: formatDate(c.sla.dueOn, lang) })}</strong></p>}
              <p className="muted">{t('portal.filedOn', { date: formatDate(c.createdAt, lang) })}</p>
            </Card>
            </List.Item>
          )}
        />
      )}
      {/* SEC-1, PIPL's right to know: which office viewed my file, and when */}
      <section aria-labelledby="views-title" style={{ marginTop: 32 }}>
        <h2 id="views-title" style={{ fontSize: 20 }}>{t('portal.viewsTitle')}</h2>
        <p className="muted">{t('portal.viewsIntro')}</p>
        <ErrorBox error={views.error} />
        {views.data && (views.data.items.length === 0 ? <p>{t('portal.viewsEmpty')}</p> : (
          <ul className="plain-list">
            {views.data.items.map((v: any, i: number) => (
              <li key={i}>{formatDateTime(v.at, lang)}　{v.by}　{DATA_VIEW_LABELS[v.what] ? t(DATA_VIEW_LABELS[v.what]) : v.what}{v.caseNo ? `（${v.caseNo}）` : ''}</li>
            ))}
          </ul>
        ))}
      </section>
    </>
  );
}
