import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorBox } from '../../components/ErrorBox';
import { useI18n } from '../../i18n';
import { DateField } from '../../components/DateField';

type Day = { date: string; kind: 'holiday' | 'workday'; name: string };

export function CalendarAdmin() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [year, setYear] = useState(new Date().getFullYear());
  const cal = useQuery({ queryKey: ['calendar', year], queryFn: () => api(`/api/calendar/${year}`) });
  const [days, setDays] = useState<Day[]>([]);
  const [source, setSource] = useState('');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (cal.data) {
      setDays(cal.data.days);
      setSource(cal.data.source ?? '');
    }
  }, [cal.data]);
  const save = async () => {
    setError(null);
    try {
      await api(`/api/calendar/${year}`, { method: 'PUT', body: { source, days } });
      message.success(t('admin.done'));
      qc.invalidateQueries({ queryKey: ['calendar', year] });
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <label htmlFor="cal-year">{t('admin.year')}</label>
        <InputNumber id="cal-year" min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} />
        {cal.data && <Tag style={cal.data.published ? { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' } : { color: '#873800', background: '#fff7e6', borderColor: '#ffd591' }}>{cal.data.published ? t('admin.published') : t('admin.notPublished')}</Tag>}
      </Space>
      <ErrorBox error={error} />
      <Form layout="vertical">
        <Form.Item label={t('admin.source')} htmlFor="cal-source"><Input id="cal-source" value={source} onChange={(e) => setSource(e.target.value)} /></Form.Item>
      </Form>
      <Table size="small" rowKey={(_, i) => String(i)} dataSource={days} pagination={false} scroll={{ x: 'max-content' }}
        columns={[
          { title: t('admin.day'), render: (_: unknown, d: Day, i: number) => <DateField aria-label={`${t('admin.day')} ${i + 1}`} value={d.date} onChange={(date) => setDays(days.map((x, j) => (j === i ? { ...x, date } : x)))} /> },
          { title: t('admin.kind'), render: (_: unknown, d: Day, i: number) => <Select aria-label={`${t('admin.kind')} ${i + 1}`} style={{ width: 160 }} value={d.kind} onChange={(kind) => setDays(days.map((x, j) => (j === i ? { ...x, kind } : x)))} options={[{ value: 'holiday', label: t('admin.holiday') }, { value: 'workday', label: t('admin.workday') }]} /> },
          { title: t('admin.dayName'), render: (_: unknown, d: Day, i: number) => <Input aria-label={`${t('admin.dayName')} ${i + 1}`} value={d.name} onChange={(e) => setDays(days.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} /> },
          { title: t('admin.actions'), render: (_: unknown, d: Day, i: number) => <Button size="small" aria-label={t('admin.deleteDay', { date: d.date })} onClick={() => setDays(days.filter((_, j) => j !== i))}>{t('field.remove')}</Button> },
        ]} />
      <Space style={{ marginTop: 16 }}>
        <Button onClick={() => setDays([...days, { date: `${year}-01-01`, kind: 'holiday', name: '' }])}>{t('admin.addDay')}</Button>
        <Button type="primary" onClick={save}>{t('admin.saveCalendar')}</Button>
      </Space>
    </>
  );
}
