/** Find persons (by ID number) and cases (by ID number or exact name) inside my jurisdiction. */
import { useQuery } from '@tanstack/react-query';
import { Card, Input, List } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { formatDate, useI18n } from '../i18n';

export function SearchPage() {
  const { t, pick, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const isId = /^\d{17}[\dXx]$|^\d{15}$/.test(q);
  const persons = useQuery({ queryKey: ['persons', q], queryFn: () => api(`/api/persons?idNumber=${encodeURIComponent(q)}`), enabled: isId });
  const cases = useQuery({ queryKey: ['case-search', q], queryFn: () => api(`/api/cases?q=${encodeURIComponent(q)}`), enabled: q.length >= 2 });
  return (
    <>
      <h1 className="page-title">{t('search.title')}</h1>
      <Input.Search aria-label={t('search.hint')} placeholder={t('search.hint')} defaultValue={q} enterButton={t('search.submit')} size="large" style={{ maxWidth: 520, marginBottom: 24 }}
        onSearch={(v) => setParams(v.trim() ? { q: v.trim() } : {})} />
      <ErrorBox error={persons.error ?? cases.error} />
      {isId && persons.data && (
        <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('search.persons')}</h2>} style={{ marginBottom: 16 }}>
          {persons.data.items.length === 0 ? <p>{t('search.none')}</p> : (
            <List dataSource={persons.data.items} renderItem={(p: any) => <List.Item><Link to={`/persons/${p.id}`}>{p.nameMasked} {p.idNumberMasked}</Link></List.Item>} />
          )}
        </Card>
      )}
      {cases.data && (
        <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('search.cases')}</h2>}>
          {cases.data.items.length === 0 ? <p>{t('search.none')}</p> : (
            <List dataSource={cases.data.items} renderItem={(c: any) => (
              <List.Item><Link to={`/cases/${c.id}`}>{c.caseNo}</Link>　{pick(c.matter)}　{pick(c.state)}　{c.applicant.nameMasked} {c.applicant.idNumberMasked}　{formatDate(c.createdAt, lang)}</List.Item>
            )} />
          )}
        </Card>
      )}
    </>
  );
}
