/** One case: who and where, materials with scans, what I can do now, the clocks, and the history. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Space, Spin, Table, Tag, Timeline, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { CANCEL_REASON_LABELS, type CancelReason } from '../../../src/domain/certificates';
import { materialLabel } from '../../../src/domain/materials';
import { api } from '../api';
import { ActionForm } from '../components/ActionForm';
import { asLabel } from '../components/ApplicationParts';
import { CardPrintPanel } from '../components/CardPrintPanel';
import { categoryShort, disabilitiesText } from '../components/disabilityText';
import { ErrorBox } from '../components/ErrorBox';
import { Sla } from '../components/Sla';
import { formatDate, formatDateTime, useI18n, type Lang } from '../i18n';
import type { MessageKey } from '../i18n/zh';
import { useMe } from '../session';
import { PortalCaseView } from './portal/PortalCaseView';

export function CasePage() {
  const { id } = useParams();
  const { t, pick, lang } = useI18n();
  const me = useMe();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState<string | null>(null);
  // after an action the focus goes to its result, not back to <body> (the form it was in is gone)
  const [done, setDone] = useState<string | null>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  const caseQ = useQuery({ queryKey: ['case', id], queryFn: () => api(`/api/cases/${id}`) });
  const history = useQuery({ queryKey: ['case', id, 'history'], queryFn: () => api<any[]>(`/api/cases/${id}/history`) });
  const docs = useQuery({ queryKey: ['case', id, 'documents'], queryFn: () => api<any[]>(`/api/cases/${id}/documents`) });
  const applicantView = me.data?.kind === 'applicant';
  // MSG-1: the applicant has a page of their own, in plain words (pages/portal/PortalCaseView.tsx)
  if (applicantView) return <PortalCaseView />;
  if (caseQ.isLoading) return <Spin aria-label={t('common.loading')} />;
  if (caseQ.error) return <><h1 className="page-title">{t('case.notFoundTitle')}</h1><ErrorBox error={caseQ.error} /></>;
  const c = caseQ.data;
  const refresh = () => qc.invalidateQueries({ queryKey: ['case', id] });
  // ASMT-2: once the case is with the institution, the signed and stamped assessment form is scanned in here too
  const scanned = (code: string) => (docs.data ?? []).some((d) => d.materialCode === code);
  const forms = applicantView ? [] : [
    ...(c.state.code === 'assessing' || c.data.assessment ? [{ code: 'assessment_form', provided: scanned('assessment_form') }] : []),
    // TRF-2: the former hukou county uploads the archive's files here before it hands over
    ...(c.state.code === 'awaiting_archive' || scanned('archive_file') ? [{ code: 'archive_file', provided: scanned('archive_file') }] : []),
  ];
  const allMaterials = [...c.materials.provided.map((code: string) => ({ code, provided: true })), ...c.materials.missing.map((m: any) => ({ ...m, provided: false })), ...forms];

  return (
    <>
      <p className="no-print"><Link to={applicantView ? '/portal' : '/'}>← {applicantView ? t('portal.myCases') : t('nav.worklist')}</Link></p>
      <h1 className="page-title">{t('case.title', { no: c.caseNo })}</h1>
      <Space wrap size="large" style={{ marginBottom: 16 }}>
        <span><strong>{pick(c.matter)}</strong></span>
        <StateTag state={c.state} />
        {c.closedAt ? <span>{t('case.closedOn', { date: formatDate(c.closedAt, lang) })}</span> : c.sla && <Sla sla={c.sla} />}
      </Space>
      {applicantView && <Alert type="info" showIcon title={t(`plain.${c.state.code}` as MessageKey)} style={{ marginBottom: 16 }} />}
      <div className="grid2">
        <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('case.applicant')}</h2>}>
          <Descriptions column={1} size="small" items={[
            { label: t('case.name'), children: c.applicant.nameMasked },
            { label: t('case.idNumber'), children: c.applicant.idNumberMasked },
            { label: t('case.birthYear'), children: c.applicant.birthYear },
            { label: t('case.categories'), children: c.categories.map((n: number) => categoryShort(n, lang)).join('、') },
            ...certificateMatterItems(c, t, pick, lang),
            { label: t('case.residence'), children: c.residence.fullName },
            { label: t('case.hukou'), children: c.hukou.fullName },
            { label: t('case.accepting'), children: c.acceptingCounty.fullName },
            { label: t('case.profile'), children: pick(c.profileName) },
            { label: t('case.channel'), children: t(`channel.${c.channel}` as MessageKey) },
            ...(c.waitingOn ? [{ label: t('case.waitingOn'), children: t(`side.${c.waitingOn.side}` as MessageKey) }] : []),
          ]} />
          {c.personId && !applicantView && <Link to={`/persons/${c.personId}`}>{t('case.person')}</Link>}
        </Card>
        <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('case.materials')}</h2>}>
          <ul style={{ paddingLeft: 20 }}>
            {allMaterials.map((m: any) => (
              <li key={m.code} style={{ marginBottom: 8 }}>
                {m.provided ? '✔ ' : '✘ '}{m.provided ? t('case.materialProvided') : t('case.materialMissing')}：{pick(materialLabel(m.code))}
                {(docs.data ?? []).filter((d) => d.materialCode === m.code).map((d) => (
                  <div key={d.id}><a href={`/api/cases/${c.id}/documents/${d.id}`} target="_blank" rel="noreferrer">{t('case.uploaded', { name: d.fileName })}</a></div>
                ))}
                {!c.closedAt && (
                  <div className="no-print">
                    <Upload
                      accept="image/jpeg,image/png,application/pdf"
                      showUploadList={false}
                      customRequest={async ({ file, onSuccess, onError }) => {
                        const form = new FormData();
                        form.append('materialCode', m.code);
                        form.append('file', file as Blob);
                        try {
                          await api(`/api/cases/${c.id}/documents`, { form });
                          onSuccess?.({});
                          message.success(t('case.uploaded', { name: (file as File).name }));
                          refresh(); // the case's documents and what they now allow
                        } catch (e: any) {
                          onError?.(e);
                          message.error(e.text ? pick(e.text) : String(e));
                        }
                      }}
                    >
                      <Button size="small" aria-label={t('case.uploadFor', { item: pick(materialLabel(m.code)) })}>{t('case.upload')}</Button>
                    </Upload>
                  </div>
                )}
              </li>
            ))}
          </ul>
          {c.materials.missing.length > 0 && !applicantView && <Link className="no-print" to={`/cases/${c.id}/notice`}>{t('case.missingNotice')}</Link>}
          {applicantView && c.materials.missing.length > 0 && <p>{t('portal.missing')} {c.materials.missing.map((m: any) => pick(m)).join('；')}</p>}
        </Card>
      </div>

      <Outcome c={c} />

      {!applicantView && <CardPrintPanel caseData={c} onDone={refresh} />}
      <Card style={{ marginTop: 16 }} title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('case.actions')}</h2>} className="no-print">
        {done && <div ref={doneRef} tabIndex={-1} role="status" style={{ padding: '8px 12px', marginBottom: 12, color: '#135200', background: '#f6ffed', border: '1px solid #b7eb8f', borderRadius: 6 }}>✔ {done}</div>}
        {c.availableActions.length === 0 && c.blockedActions.length === 0 ? <p>{t('case.noActions')}</p> : (
          <Space wrap>
            {c.availableActions.map((a: any) => (
              <Button key={a.code} type={open === a.code ? 'primary' : 'default'} aria-expanded={open === a.code} onClick={() => { setDone(null); setOpen(open === a.code ? null : a.code); }}>{pick(a)}</Button>
            ))}
          </Space>
        )}
        {c.blockedActions.length > 0 && (
          <div style={{ marginTop: 12 }}>
            <h3 style={{ fontSize: 16, marginBottom: 4 }}>{t('case.blocked')}</h3>
            <ul style={{ margin: 0 }}>{c.blockedActions.map((a: any) => <li key={a.code}>{pick(a)}：{pick(a.reason)}</li>)}</ul>
          </div>
        )}
        {open && (
          <ActionForm
            key={`${open}-${c.version}`}
            caseView={c}
            action={c.availableActions.find((a: any) => a.code === open)}
            onCancel={() => setOpen(null)}
            onDone={(r) => {
              setOpen(null);
              setDone(t('case.done', { action: pick(c.availableActions.find((a: any) => a.code === r.action)) }));
              refresh();
              qc.invalidateQueries({ queryKey: ['worklist'] });
            }}
          />
        )}
      </Card>

      <div className="grid2" style={{ marginTop: 16 }}>
        <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('case.clocks')}</h2>}>
          <Table size="small" pagination={false} rowKey="name"
            dataSource={Object.entries(c.clocks).map(([name, v]: any) => ({ name, ...v }))}
            columns={[
              { title: t('worklist.state'), dataIndex: 'name', render: (n: string) => t(`clock.${n}` as MessageKey) },
              { title: lang === 'zh' ? '时限' : 'Limit', dataIndex: 'limitWd', render: (n: number) => (lang === 'zh' ? `${n} 个工作日` : `${n} WD`) },
              { title: t('worklist.due'), render: (_: unknown, r: any) => (r.stopped ? <span className={`sla ${r.usedWd > r.limitWd ? 'overdue' : 'ok'}`}>{t(r.usedWd > r.limitWd ? 'clock.doneLate' : 'clock.done', { used: r.usedWd })}</span> : <Sla sla={r} />) },
            ]} />
        </Card>
        <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('case.history')}</h2>}>
          <Timeline items={(history.data ?? []).map((e) => ({
            content: (
              <div>
                <strong>{pick(e.actionLabel)}</strong>（{e.actor.name}）
                <div className="muted">{formatDateTime(e.at, lang)}</div>
                {e.payload?.reason && <div>{t('case.reason')}：{e.payload.reason}</div>}
              </div>
            ),
          }))} />
        </Card>
      </div>
    </>
  );
}

/** What a matter on an existing certificate is about: which certificate, which kind, why, and what came in with it. */
function certificateMatterItems(c: any, t: ReturnType<typeof useI18n>['t'], pick: ReturnType<typeof useI18n>['pick'], lang: Lang) {
  const d = c.data;
  const cancellation = d.cancellation;
  return [
    d.certificateNumberMasked && { label: t('case.onCertificate'), children: d.certificateNumberMasked },
    c.variant && { label: t('case.variant'), children: t(`certApply.variant.${c.variant}` as MessageKey) },
    c.origin && { label: t('case.origin'), children: c.origin.fullName },
    cancellation && {
      label: t('case.cancelReason'),
      children: [
        asLabel(pick(CANCEL_REASON_LABELS[cancellation.reason as CancelReason])),
        cancellation.removeCategories?.length ? t('case.removeCategories', { list: cancellation.removeCategories.map((n: number) => categoryShort(n, lang)).join('、') }) : '',
        cancellation.note,
      ].filter(Boolean).join('；'),
    },
    // RENEW-4: which details change; the new values are personal data and stay off this page
    d.updates && { label: t('case.updates'), children: Object.keys(d.updates).map((k) => t(`certApply.update.${k}` as MessageKey)).join('、') },
    d.oldCardCollected && { label: t('case.oldCard'), children: t('case.oldCardCollected') },
  ].filter(Boolean) as { label: string; children: string }[];
}

/** The stage, in words and a colour pair that keeps AA contrast. */
export function StateTag({ state }: { state: any }) {
  const { pick } = useI18n();
  const [fg, bg, border] = state.final === 'completed' ? ['#135200', '#f6ffed', '#b7eb8f'] : state.final ? ['#434343', '#fafafa', '#d9d9d9'] : ['#003eb3', '#e6f4ff', '#91caff'];
  return <Tag style={{ fontSize: 15, color: fg, background: bg, borderColor: border }}>{pick(state)}</Tag>;
}

/** Assessment, publicity, the certificate and any reason the case ended — whatever the case has so far. */
export function Outcome({ c }: { c: any }) {
  const { t, lang } = useI18n();
  const d = c.data;
  const home = d.home && [
    d.home.reviews.length > 0 && { label: t('case.homeReviews'), children: d.home.reviews.map((r: any) => `${t(`case.homeLevel.${r.level}` as MessageKey)} ${formatDate(r.on, lang)} ${t(r.decision === 'approved' ? 'case.homeApproved' : 'case.homeRefused')}${r.text ? `：${r.text}` : ''}`).join('；') },
    d.visit && { label: t('case.visit'), children: `${d.visit.batchNo} · ${formatDate(d.visit.visitOn, lang)} · ${t(`visits.mode.${d.visit.mode}` as MessageKey)}${d.visit.place ? `（${d.visit.place}）` : ''}` },
    ...(d.visitHistory ?? []).map((v: any) => ({ label: t('case.visit'), children: `${v.batchNo} · ${formatDate(v.on, lang)} · ${t(`visits.outcome.${v.outcome}` as MessageKey)}${v.note ? `：${v.note}` : ''}` })),
    // the fee is a code once accepted (HOME-4), shown in words; before that the rule itself
    { label: t('case.home'), children: `${d.home.reason}。${t(d.fee ? (`case.fee.${d.fee}` as MessageKey) : 'case.feeWaived')}` },
  ];
  const items = [
    ...(home || []),
    d.homeRefusal && { label: t('case.reason'), children: d.homeRefusal.reason },
    d.assessment && { label: t('case.assessment'), children: d.assessment.qualified ? disabilitiesText(d.assessment.disabilities, lang) : `${t('case.notQualified')}：${d.assessment.notQualifiedReason}` },
    ...(d.assessmentRounds ?? []).map((a: any, i: number) => ({ label: t('case.earlierAssessment', { n: i + 1 }), children: a.qualified ? disabilitiesText(a.disabilities, lang) : t('case.notQualified') })),
    d.publicity && { label: t('case.publicity'), children: `${formatDate(d.publicity.startsOn, lang)} – ${formatDate(d.publicity.endsOn, lang)}，${d.publicity.place}` },
    // a matter on an existing certificate issues a new card in place of the one it acts on
    d.certificate && { label: t(d.certificateNumberMasked ? 'case.newCertificate' : 'case.certificate'), children: `${t('case.certificateNo')} ${d.certificate.numberMasked}；${t('case.validity')} ${formatDate(d.certificate.validFrom, lang)} – ${formatDate(d.certificate.validUntil, lang)}` },
    d.transferNotice && { label: t('case.transferNotice'), children: [t('case.transferNoticeOn', { date: formatDate(d.transferNotice.on, lang) }), d.transferNotice.note].filter(Boolean).join('；') },
    d.archiveHandover && { label: t('case.archiveHandover'), children: [t('case.archiveHandoverOn', { date: formatDate(d.archiveHandover.on, lang) }), d.archiveHandover.paperKeptAt && t('case.paperKeptAt', { place: d.archiveHandover.paperKeptAt })].filter(Boolean).join('；') },
    d.reassessmentDueBy && { label: t('case.reassessmentDueBy'), children: t('case.reassessmentDueByText', { date: formatDate(d.reassessmentDueBy, lang) }) },
    d.cancellation?.on && { label: t('case.cancelled'), children: t('case.cancelledOn', { date: formatDate(d.cancellation.on, lang) }) },
    d.delivery && { label: t('case.delivery'), children: [d.delivery.method === 'courier' ? `${t('field.method.courier')}：${d.delivery.courier} ${d.delivery.trackingNo}` : `${t('field.method.hand')}：${d.delivery.deliverer}`, t('case.shippedOn', { date: formatDate(d.delivery.shippedOn, lang) }), d.delivery.deliveredOn ? t('case.deliveredOn', { date: formatDate(d.delivery.deliveredOn, lang), who: d.delivery.receivedBy || '—' }) : ''].filter(Boolean).join('；') },
    d.returnReason && { label: t('case.reason'), children: d.returnReason },
    d.rejection && { label: t('case.reason'), children: d.rejection.reason },
    d.notQualifiedNotice && { label: t('case.reason'), children: d.notQualifiedNotice.reason },
  ].filter(Boolean) as { label: string; children: string }[];
  if (!items.length) return null;
  return (
    <Card style={{ marginTop: 16 }} title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('portal.result')}</h2>}>
      <Descriptions column={1} size="small" items={items.map((x, i) => ({ key: String(i), ...x }))} />
    </Card>
  );
}
