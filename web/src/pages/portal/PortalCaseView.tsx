/**
 * The applicant's own case page (/portal/cases/:id): in plain words, what stage it is at (a progress
 * stepper from the matter's states), what they need to do and by when ("请在2026年12月9日前…", never
 * the staff's working-day countdown), where to go for the assessment — the institution with its
 * address, phone and opening hours, and what to bring (NEW-2, MSG-1) — the missing materials with
 * upload buttons, the result, and the history.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Space, Spin, Timeline, Upload } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { materialLabel } from '../../../../src/domain/materials';
import { api } from '../../api';
import { ActionForm } from '../../components/ActionForm';
import { categoryShort } from '../../components/disabilityText';
import { ErrorBox } from '../../components/ErrorBox';
import { formatDate, formatDateTime, useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/zh';
import { Outcome, StateTag } from '../CasePage';

type Step = { code: string; zh: string; en: string; status: 'done' | 'current' | 'stopped' | 'todo' };
type Clock = { dueOn: string | null; paused: boolean; stopped: boolean } | undefined;

/** A clock the applicant must act on, running now: its due date, else null. */
const running = (clock: Clock) => (clock && !clock.stopped && !clock.paused && clock.dueOn ? clock.dueOn : null);

export function PortalCaseView() {
  const { id } = useParams();
  const { t, pick, lang } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState<string | null>(null);
  const caseQ = useQuery({ queryKey: ['case', id], queryFn: () => api(`/api/cases/${id}`) });
  const history = useQuery({ queryKey: ['case', id, 'history'], queryFn: () => api<any[]>(`/api/cases/${id}/history`) });
  const docs = useQuery({ queryKey: ['case', id, 'documents'], queryFn: () => api<any[]>(`/api/cases/${id}/documents`) });
  if (caseQ.isLoading) return <Spin aria-label={t('common.loading')} />;
  if (caseQ.error) return <><h1 className="page-title">{t('case.notFoundTitle')}</h1><ErrorBox error={caseQ.error} /></>;
  const c = caseQ.data;
  const refresh = () => qc.invalidateQueries({ queryKey: ['case', id] });
  const state: string = c.state.code;

  // what the applicant must do, with the date in words
  const attendBy = state === 'assessing' ? running(c.clocks.attendance) : null;
  const photoBy = state === 'awaiting_photo' ? running(c.clocks.photo) : null;
  const todo = [
    state === 'assessing' && (attendBy ? t('portalCase.attendBy', { date: formatDate(attendBy, lang) }) : t('portalCase.attendSoon')),
    state === 'awaiting_photo' && (photoBy ? t('portalCase.photoBy', { date: formatDate(photoBy, lang) }) : t('plain.awaiting_photo')),
    state === 'awaiting_materials' && t('portalCase.supply'),
  ].filter(Boolean) as string[];
  const showInstitution = c.institution && ['assessing', 'result_review'].includes(state);

  return (
    <>
      <p className="no-print"><Link to="/portal">← {t('portal.myCases')}</Link></p>
      <h1 className="page-title">{t('case.title', { no: c.caseNo })}</h1>
      <Space wrap size="large" style={{ marginBottom: 16 }}>
        <span><strong>{pick(c.matter)}</strong></span>
        <StateTag state={c.state} />
        {c.closedAt && <span>{t('case.closedOn', { date: formatDate(c.closedAt, lang) })}</span>}
      </Space>
      <Alert type="info" showIcon title={t(`plain.${state}` as MessageKey)} style={{ marginBottom: 16 }} />

      <Progress steps={c.progress ?? []} />

      <Card style={{ marginTop: 16 }} title={<h2 className="card-title">{t('portalCase.todo')}</h2>}>
        {todo.length ? <ul className="plain-list todo-list">{todo.map((x) => <li key={x}><strong>{x}</strong></li>)}</ul> : <p>{t('portalCase.nothingToDo')}</p>}
      </Card>

      {showInstitution && (
        <Card style={{ marginTop: 16 }} title={<h2 className="card-title">{t('portalCase.institution')}</h2>}>
          <Descriptions column={1} items={[
            { key: 'name', label: t('portalCase.institutionName'), children: <strong>{c.institution.name}</strong> },
            ...(c.institution.contact
              ? [
                  { key: 'address', label: t('portalCase.address'), children: c.institution.contact.address },
                  { key: 'phone', label: t('portalCase.phone'), children: <a href={`tel:${c.institution.contact.phone.replace(/[^\d+]/g, '')}`}>{c.institution.contact.phone}</a> },
                  { key: 'hours', label: t('portalCase.hours'), children: c.institution.contact.hours },
                ]
              : [{ key: 'ask', label: t('portalCase.address'), children: t('portalCase.noContact') }]),
            ...(state === 'assessing'
              ? [
                  { key: 'by', label: t('portalCase.by'), children: attendBy ? t('portalCase.byDate', { date: formatDate(attendBy, lang) }) : t('portalCase.byAsap') },
                  { key: 'bring', label: t('portalCase.bring'), children: <ul className="plain-list" style={{ margin: 0 }}>{t('portalCase.bringList').split('；').map((x) => <li key={x}>{x}</li>)}</ul> },
                ]
              : []),
          ]} />
        </Card>
      )}

      <div className="grid2" style={{ marginTop: 16 }}>
        <Card title={<h2 className="card-title">{t('portalCase.details')}</h2>}>
          <Descriptions column={1} size="small" items={[
            { key: 'name', label: t('case.name'), children: c.applicant.nameMasked },
            { key: 'id', label: t('case.idNumber'), children: c.applicant.idNumberMasked },
            ...(c.categories?.length ? [{ key: 'cat', label: t('case.categories'), children: c.categories.map((n: number) => categoryShort(n, lang)).join('、') }] : []),
            { key: 'res', label: t('case.residence'), children: c.residence.fullName },
            { key: 'hukou', label: t('case.hukou'), children: c.hukou.fullName },
            { key: 'acc', label: t('case.accepting'), children: c.acceptingCounty.fullName },
          ]} />
        </Card>
        <Card title={<h2 className="card-title">{t('case.materials')}</h2>}>
          {c.materials.missing.length > 0 && <p>{t('portal.missing')} {c.materials.missing.map((m: any) => pick(m)).join('；')}</p>}
          <ul style={{ paddingLeft: 20 }}>
            {[...c.materials.missing.map((m: any) => ({ code: m.code, provided: false })), ...c.materials.provided.map((code: string) => ({ code, provided: true }))].map((m: { code: string; provided: boolean }) => {
              const item = pick(materialLabel(m.code));
              return (
                <li key={m.code} style={{ marginBottom: 8 }}>
                  {m.provided ? t('case.materialProvided') : t('case.materialMissing')}：{item}
                  {(docs.data ?? []).filter((d) => d.materialCode === m.code).map((d) => (
                    <div key={d.id}><a href={`/api/cases/${c.id}/documents/${d.id}`} target="_blank" rel="noreferrer">{t('case.uploaded', { name: d.fileName })}</a></div>
                  ))}
                  {!c.closedAt && !m.provided && (
                    <div className="no-print">
                      <Upload accept="image/jpeg,image/png,application/pdf" showUploadList={false}
                        customRequest={async ({ file, onSuccess, onError }) => {
                          const form = new FormData();
                          form.append('materialCode', m.code);
                          form.append('file', file as Blob);
                          try {
                            await api(`/api/cases/${c.id}/documents`, { form });
                            onSuccess?.({});
                            message.success(t('case.uploaded', { name: (file as File).name }));
                            refresh();
                          } catch (e: any) {
                            onError?.(e);
                            message.error(e.text ? pick(e.text) : String(e));
                          }
                        }}>
                        {/* WCAG 2.5.3: the accessible name starts with the visible words */}
                        <Button aria-label={t('portalCase.uploadFor', { item })}>{t('case.upload')}</Button>
                      </Upload>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </Card>
      </div>

      <Outcome c={c} />

      {c.availableActions.length > 0 && (
        <Card style={{ marginTop: 16 }} title={<h2 className="card-title">{t('portalCase.actions')}</h2>} className="no-print">
          <Space wrap>
            {c.availableActions.map((a: any) => (
              <Button key={a.code} type={open === a.code ? 'primary' : 'default'} aria-expanded={open === a.code} onClick={() => setOpen(open === a.code ? null : a.code)}>{pick(a)}</Button>
            ))}
          </Space>
          {open && (
            <ActionForm key={`${open}-${c.version}`} caseView={c} action={c.availableActions.find((a: any) => a.code === open)} onCancel={() => setOpen(null)}
              onDone={(r) => {
                setOpen(null);
                message.success(t('case.done', { action: pick(c.availableActions.find((a: any) => a.code === r.action)) }));
                refresh();
                qc.invalidateQueries({ queryKey: ['worklist'] });
              }} />
          )}
        </Card>
      )}

      <Card style={{ marginTop: 16 }} title={<h2 className="card-title">{t('portalCase.history')}</h2>}>
        <Timeline items={(history.data ?? []).map((e) => ({
          content: (
            <div>
              <strong>{pick(e.actionLabel)}</strong>
              <div className="muted">{formatDateTime(e.at, lang)}</div>
            </div>
          ),
        }))} />
      </Card>
    </>
  );
}

/** MSG-1: where the case stands, as numbered steps with their status in words (not colour alone). */
function Progress({ steps }: { steps: Step[] }) {
  const { t, pick } = useI18n();
  if (!steps.length) return null;
  return (
    <section aria-labelledby="progress-title" className="progress-box">
      <h2 id="progress-title" className="card-title">{t('portalCase.progress')}</h2>
      <ol className="stepper">
        {steps.map((s, i) => (
          <li key={s.code} className={`step step-${s.status}`} aria-current={s.status === 'current' ? 'step' : undefined}>
            <span className="step-mark" aria-hidden="true">{s.status === 'done' ? '✓' : s.status === 'stopped' ? '✕' : i + 1}</span>
            <span className="step-text">
              <span className="step-title">{pick(s)}</span>
              <span className="step-status">{t(`portalCase.step.${s.status}` as MessageKey)}</span>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
