/**
 * ARCH-1 on the person file: the archive (一人一档) in filing order — each file once, with the office
 * that produced the paper and the case it came through. The list is for everyone who sees the person;
 * opening a file or exporting the whole archive is a full view (logged), offered only to those the
 * server says may (`canOpen`).
 */
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Spin, Table } from 'antd';
import { Link } from 'react-router';
import { formatSize } from '../../../src/domain/archive';
import { api, type Bilingual } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { Wide } from '../components/Wide';
import { formatDate, useI18n } from '../i18n';

type Reference = {
  id: string;
  at: string;
  label: Bilingual;
  fileName: string;
  origin: { orgUnit: string; division: string } | null;
  case: { id: string; caseNo: string; matter: Bilingual };
};
type ArchiveDocument = { no: number; sha256: string; size: number; references: Reference[] };
/** One table row per filing; the file's own cells span the rows of all its filings. */
type Filing = { doc: ArchiveDocument; ref: Reference; first: boolean };

export function ArchiveCard({ personId }: { personId: string }) {
  const { t, pick, lang } = useI18n();
  const archive = useQuery({ queryKey: ['person', personId, 'archive'], queryFn: () => api<{ canOpen: boolean; documents: ArchiveDocument[] }>(`/api/persons/${personId}/archive`) });
  const fullView = archive.data?.canOpen ?? false;
  const documents = archive.data?.documents ?? [];
  const filings: Filing[] = documents.flatMap((doc) => doc.references.map((ref, i) => ({ doc, ref, first: i === 0 })));
  // numbers, dates and case numbers stay on one line; the long type and place names wrap
  const nowrap = { style: { whiteSpace: 'nowrap' as const } };
  const fileCell = (f: Filing) => ({ ...nowrap, rowSpan: f.first ? f.doc.references.length : 0 });

  return (
    <Card style={{ marginBottom: 16 }} title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('archive.title')}</h2>}
      extra={fullView && documents.length > 0 && (
        <Button href={`/api/persons/${personId}/archive.zip`} download icon={<DownloadOutlined aria-hidden />}>{t('archive.export')}</Button>
      )}>
      <p className="muted">{[t('archive.hint'), ...(fullView ? [t('archive.hintFullView')] : [])].join(lang === 'zh' ? '' : ' ')}</p>
      {archive.isLoading && <Spin aria-label={t('common.loading')} />}
      <ErrorBox error={archive.error} />
      {archive.data && (
        <Wide label={t('archive.title')} minWidth={800}>
          <Table<Filing> size="small" pagination={false} rowKey={(f) => f.ref.id} dataSource={filings}
            caption={t('archive.caption', { files: documents.length, filings: filings.length })}
            columns={[
              { title: t('archive.no'), key: 'no', onHeaderCell: () => nowrap, onCell: fileCell, render: (_, f) => f.doc.no },
              { title: t('archive.filed'), key: 'filed', onHeaderCell: () => nowrap, onCell: () => nowrap, render: (_, f) => formatDate(f.ref.at, lang) },
              { title: t('archive.type'), key: 'type', render: (_, f) => pick(f.ref.label) },
              { title: t('archive.fileName'), key: 'fileName', render: (_, f) => f.ref.fileName },
              { title: t('archive.origin'), key: 'origin', render: (_, f) => (f.ref.origin ? <><div>{f.ref.origin.orgUnit}</div><div className="muted">{f.ref.origin.division}</div></> : t('archive.online')) },
              { title: t('archive.case'), key: 'case', onCell: () => nowrap, render: (_, f) => <><div><Link to={`/cases/${f.ref.case.id}`}>{f.ref.case.caseNo}</Link></div><div className="muted">{pick(f.ref.case.matter)}</div></> },
              { title: t('archive.size'), key: 'size', onHeaderCell: () => nowrap, onCell: fileCell, render: (_, f) => formatSize(f.doc.size) },
              ...(fullView ? [{
                title: t('archive.open'), key: 'open', onHeaderCell: () => nowrap, onCell: fileCell,
                render: (_: unknown, f: Filing) => (
                  <a href={`/api/persons/${personId}/archive/${f.doc.sha256}`} target="_blank" rel="noreferrer" aria-label={t('archive.openLabel', { no: f.doc.no, type: pick(f.ref.label) })}>{t('archive.open')}</a>
                ),
              }] : []),
            ]} />
        </Wide>
      )}
    </Card>
  );
}
