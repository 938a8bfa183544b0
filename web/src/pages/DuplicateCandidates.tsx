/**
 * ID-3 on a supervisor's worklist: records that may be a person already on file (legacy import rows
 * whose ID number is registered), side by side with the file they match, masked. The supervisor
 * decides — same person (merge), different persons, or reject — always with a note.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Empty, Form, Input, Radio, Select, Table } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api';
import { ExportButton } from '../components/ExportButton';
import { disabilitiesText } from '../components/disabilityText';
import { ErrorBox, fieldError } from '../components/ErrorBox';
import { formatDate, useI18n } from '../i18n';
import { hasRole, useMe } from '../session';
import { EditDialog, LEGEND } from './admin/AssessmentFields';
import { STATE } from './PersonPage';

const STATUSES = ['open', 'same_person_merged', 'different_persons', 'rejected'] as const;
const DECISIONS = ['same_person_merged', 'different_persons', 'rejected'] as const;
type Status = (typeof STATUSES)[number];
type Candidate = {
  id: string;
  kind: 'legacy_import' | 'near_match';
  status: Status;
  version: number;
  source: string;
  county: string;
  incoming: {
    idNumberMasked: string;
    nameMasked: string;
    sameNameAsOnFile: boolean;
    hukou: string;
    certificate: { numberMasked: string; disabilities: { category: number; level: number }[]; issuedOn: string; validUntil: string };
  };
  onFile: {
    personId: string;
    nameMasked: string;
    idNumberMasked: string;
    hukou: string;
    certificates: { numberMasked: string; state: keyof typeof STATE; issuer: string }[];
  };
  resolution: { note: string; resolvedBy: string; resolvedAt: string } | null;
};

const LIST_KEY = ['duplicate-candidates'];
const PAGE_SIZE = 10;

export function DuplicateCandidates() {
  const { t, lang, pick } = useI18n();
  const me = useMe();
  const shown = hasRole(me.data, 'supervisor');
  const [status, setStatus] = useState<Status | 'all'>('open');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Candidate | null>(null);
  const list = useQuery<{ total: number; items: Candidate[] }>({
    queryKey: [...LIST_KEY, status, page],
    queryFn: () => api(`/api/duplicate-candidates?status=${status}&page=${page}&pageSize=${PAGE_SIZE}`),
    enabled: shown,
  });
  if (!shown) return null;
  return (
    <section aria-labelledby="duplicate-candidates" style={{ marginTop: 32 }}>
      <h2 id="duplicate-candidates" style={{ fontSize: 20 }}>{t('duplicates.title')}</h2>
      <p className="muted">{t('duplicates.intro')}</p>
      <label htmlFor="duplicate-status" style={{ marginRight: 8 }}>{t('duplicates.show')}</label>
      <Select<Status | 'all'>
        id="duplicate-status"
        value={status}
        style={{ minWidth: 200, marginBottom: 12 }}
        onChange={(v) => { setStatus(v); setPage(1); }}
        options={[...STATUSES, 'all' as const].map((s) => ({ value: s, label: t(`duplicates.status.${s}`) }))}
      />
      <span style={{ marginLeft: 8 }}><ExportButton href={`/api/duplicate-candidates.xlsx?status=${status}`} /></span>
      <ErrorBox error={list.error} />
      <Table<Candidate>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('duplicates.empty')} /> }}
        scroll={{ x: 'max-content' }}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, hideOnSinglePage: true, onChange: setPage }}
        columns={[
          {
            title: t('duplicates.incoming'),
            render: (_, c) => (
              <>
                <div>{`${c.incoming.nameMasked} ${c.incoming.idNumberMasked}`}{c.incoming.sameNameAsOnFile ? '' : ` (${t('duplicates.otherName')})`}</div>
                <div>{t(`duplicates.kind.${c.kind}`)}</div>
                <div className="muted">{`${disabilitiesText(c.incoming.certificate.disabilities, lang)}, ${formatDate(c.incoming.certificate.issuedOn, lang)}–${formatDate(c.incoming.certificate.validUntil, lang)}`}</div>
                <div className="muted">{`${c.county} · ${c.source}`}</div>
              </>
            ),
          },
          {
            title: t('duplicates.onFile'),
            render: (_, c) => (
              <>
                <Link to={`/persons/${c.onFile.personId}`}>{`${c.onFile.nameMasked} ${c.onFile.idNumberMasked}`}</Link>
                {c.onFile.certificates.map((x) => <div key={x.numberMasked} className="muted">{`${x.numberMasked} ${pick(STATE[x.state])} · ${x.issuer}`}</div>)}
              </>
            ),
          },
          {
            title: t('duplicates.action'),
            render: (_, c) => (c.resolution
              ? <span>{`${t(`duplicates.status.${c.status}`)} — ${c.resolution.note} (${c.resolution.resolvedBy}, ${formatDate(c.resolution.resolvedAt, lang)})`}</span>
              : <Button onClick={() => setOpen(c)} aria-label={t('duplicates.resolveLabel', { id: c.incoming.idNumberMasked })}>{t('duplicates.resolve')}</Button>),
          },
        ]}
      />
      {open && <ResolveDialog candidate={open} onClose={() => setOpen(null)} />}
    </section>
  );
}

function ResolveDialog({ candidate, onClose }: { candidate: Candidate; onClose: () => void }) {
  const { t, pick } = useI18n();
  return (
    <EditDialog<{ decision: string; note: string }>
      title={t('duplicates.resolveLabel', { id: candidate.incoming.idNumberMasked })}
      initialValues={{}}
      listKey={LIST_KEY}
      onClose={onClose}
      save={(v) => api(`/api/duplicate-candidates/${candidate.id}/resolve`, { body: { ...v, expectedVersion: candidate.version } })}
    >
      {(error) => (
        <>
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend style={LEGEND}>{t('duplicates.decision')}</legend>
            <Form.Item name="decision" rules={[{ required: true, message: t('check.required', { field: t('duplicates.decision') }) }]}>
              <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }} options={DECISIONS.map((d) => ({ value: d, label: t(d === 'different_persons' && candidate.kind === 'near_match' ? 'duplicates.decide.new_person' : `duplicates.decide.${d}`) }))} />
            </Form.Item>
          </fieldset>
          <Form.Item name="note" label={t('duplicates.note')} extra={t('duplicates.noteHelp')}
            rules={[{ required: true, whitespace: true, min: 2, message: t('check.required', { field: t('duplicates.note') }) }]}
            validateStatus={fieldError(error, 'note', pick) ? 'error' : undefined} help={fieldError(error, 'note', pick)}>
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </>
      )}
    </EditDialog>
  );
}
