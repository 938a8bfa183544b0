/**
 * TRF-4 on the worklist: the certificates of the county whose holder's hukou moved away without a
 * transfer, found by the daily sweep. A county desk checks each and confirms the freeze (or
 * cancellation) or dismisses it, always with a reason; supervisors read their counties' lists.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Empty, Form, Input, Radio, Table } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api';
import { ErrorBox, fieldError } from '../components/ErrorBox';
import { formatDate, useI18n } from '../i18n';
import { hasRole, useMe } from '../session';
import { EditDialog, LEGEND, StatusTag } from './admin/AssessmentFields';
import { STATE } from './PersonPage';

type Review = {
  id: string;
  kind: 'freeze' | 'cancel';
  version: number;
  movedOn: string;
  movedTo: string;
  county: string;
  certificate: { id: string; numberMasked: string; state: keyof typeof STATE };
  holder: { personId: string; nameMasked: string; idNumberMasked: string };
  canDecide: boolean;
};
type Decision = { decision: 'confirmed' | 'dismissed'; reason: string };

const LIST_KEY = ['certificate-reviews'];
const PAGE_SIZE = 10;
const DESK_ROLES = ['clerk', 'reviewer', 'approver'];

export function HukouMoveReviews() {
  const { t, pick, lang } = useI18n();
  const me = useMe();
  const supervisor = hasRole(me.data, 'supervisor');
  // as the API decides: the desks of a county federation (a 6-digit county code), and supervisors
  const desk = me.data?.kind === 'staff' && me.data.grants.some((g) => DESK_ROLES.includes(g.role) && g.orgKind === 'federation' && g.divisionCode.length === 6);
  const shown = supervisor || desk;
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Review | null>(null);
  const list = useQuery<{ total: number; items: Review[] }>({
    queryKey: [...LIST_KEY, page],
    queryFn: () => api(`/api/certificate-reviews?page=${page}&pageSize=${PAGE_SIZE}`),
    enabled: shown,
  });
  if (!shown) return null;
  return (
    <section aria-labelledby="hukou-reviews" style={{ marginTop: 32 }}>
      <h2 id="hukou-reviews" style={{ fontSize: 20 }}>{t('reviews.title')}</h2>
      <p className="muted">{t('reviews.intro')}</p>
      <ErrorBox error={list.error} />
      <Table<Review>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('reviews.empty')} /> }}
        // an empty table shows no column heads and does not scroll: on a phone they would overflow into a scrolling region with nothing to focus
        scroll={Boolean(list.data?.items.length) ? { x: 'max-content' } : undefined}
        showHeader={Boolean(list.data?.items.length)}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, hideOnSinglePage: true, onChange: setPage }}
        columns={[
          { title: t('reviews.holder'), render: (_, r) => <Link to={`/persons/${r.holder.personId}`}>{`${r.holder.nameMasked} ${r.holder.idNumberMasked}`}</Link> },
          { title: t('reviews.number'), render: (_, r) => r.certificate.numberMasked },
          { title: t('reviews.kind'), render: (_, r) => <StatusTag tone={r.kind === 'cancel' ? 'bad' : 'warn'}>{t(`reviews.kind.${r.kind}`)}</StatusTag> },
          { title: t('reviews.state'), render: (_, r) => pick(STATE[r.certificate.state]) },
          { title: t('reviews.movedOn'), render: (_, r) => formatDate(r.movedOn, lang) },
          { title: t('reviews.movedTo'), dataIndex: 'movedTo' },
          ...(supervisor ? [{ title: t('reviews.county'), dataIndex: 'county' }] : []),
          {
            title: t('reviews.action'),
            render: (_, r) => (r.canDecide
              ? <Button onClick={() => setOpen(r)} aria-label={t('reviews.checkLabel', { number: r.certificate.numberMasked })}>{t('reviews.check')}</Button>
              : <span className="muted">{t('reviews.readOnly')}</span>),
          },
        ]}
      />
      {open && <DecisionDialog review={open} onClose={() => setOpen(null)} />}
    </section>
  );
}

function DecisionDialog({ review, onClose }: { review: Review; onClose: () => void }) {
  const { t, pick, lang } = useI18n();
  return (
    <EditDialog<Decision>
      title={t('reviews.dialogTitle', { number: review.certificate.numberMasked })}
      initialValues={{}}
      listKey={LIST_KEY}
      onClose={onClose}
      save={(v) => api(`/api/certificate-reviews/${review.id}/decision`, { body: { ...v, expectedVersion: review.version } })}
    >
      {(error) => (
        <>
          <p>{t('reviews.summary', { holder: review.holder.nameMasked, date: formatDate(review.movedOn, lang), place: review.movedTo })}</p>
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend style={LEGEND}>{t('reviews.decision')}</legend>
            <Form.Item name="decision" rules={[{ required: true, message: t('check.required', { field: t('reviews.decision') }) }]}>
              <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }} options={[
                { value: 'confirmed', label: t(`reviews.confirm.${review.kind}`) },
                { value: 'dismissed', label: t('reviews.dismiss') },
              ]} />
            </Form.Item>
          </fieldset>
          <Form.Item name="reason" label={t('reviews.reason')} extra={t('reviews.reasonHelp')}
            rules={[{ required: true, whitespace: true, min: 2, message: t('check.required', { field: t('reviews.reason') }) }]}
            validateStatus={fieldError(error, 'reason', pick) ? 'error' : undefined} help={fieldError(error, 'reason', pick)}>
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </>
      )}
    </EditDialog>
  );
}
