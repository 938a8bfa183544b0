/**
 * What the institution and doctor screens (ASMT-1) share: the category names and choices, a status
 * said in words, and the edit dialog that sends the version it loaded (a stale save is refused).
 */
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Form, Modal, Space, Tag } from 'antd';
import { useState, type ReactNode } from 'react';
import { CATEGORIES, type CategoryCode } from '../../../../src/domain/disability';
import { ErrorBox } from '../../components/ErrorBox';
import { useI18n } from '../../i18n';

const CODES: CategoryCode[] = [1, 2, 3, 4, 5, 6];

/** The tables wrap their cells to fit the page, and scroll inside themselves only when narrower than this. */
export const TABLE_WIDTH = 960;
export const CATEGORY_COLUMN = 220;

/** Today as YYYY-MM-DD in China, whatever the desk PC's time zone: the default start of a new validity. */
export const todayInChina = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

/** 视力残疾、肢体残疾 / Visual disability, Physical disability */
export function useCategoryNames() {
  const { pick, lang } = useI18n();
  return (codes: number[]) => codes.map((c) => pick(CATEGORIES[c as CategoryCode])).join(lang === 'zh' ? '、' : ', ');
}

/** A legend in a dialog: dialogs sit outside <main>, so antd's grey, underlined legend is undone here. */
export const LEGEND = { fontSize: 14, marginBottom: 8, color: '#1f1f1f', borderBottom: 0, width: 'auto' } as const;

/** The category checkboxes of a form, named by a legend; at least one must be ticked. */
export function CategoryChecks({ legend }: { legend: string }) {
  const { t, pick } = useI18n();
  return (
    <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
      <legend style={LEGEND}>{legend}</legend>
      <Form.Item name="categories" rules={[{ validator: (_, v) => (v?.length ? Promise.resolve() : Promise.reject(new Error(t('admin.pickCategories')))) }]}>
        <Checkbox.Group options={CODES.map((c) => ({ value: c, label: pick(CATEGORIES[c]) }))} />
      </Form.Item>
    </fieldset>
  );
}

// dark text on a light ground (≥ 4.5:1); the words carry the meaning, the colour only repeats it
const TONES = {
  ok: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
  warn: { color: '#873800', background: '#fff7e6', borderColor: '#ffd591' },
  bad: { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e', fontWeight: 600 },
} as const;

export function StatusTag({ tone, children }: { tone: keyof typeof TONES; children: string }) {
  return <Tag style={TONES[tone]}>{tone === 'bad' ? `⚠ ${children}` : children}</Tag>;
}

/**
 * A dialog with one form that saves a record. The list is reloaded whatever the answer: after a 409
 * (someone else saved first) reopening the dialog starts from their version.
 */
export function EditDialog<V>({ title, initialValues, save, listKey, onClose, children }: {
  title: string;
  initialValues: Partial<V>;
  save: (values: V) => Promise<unknown>;
  listKey: string[];
  onClose: () => void;
  children: (error: unknown) => ReactNode;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const finish = async (values: V) => {
    setBusy(true);
    setError(null);
    try {
      await save(values);
      message.success(t('admin.saved'));
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      qc.invalidateQueries({ queryKey: listKey });
    }
  };
  return (
    <Modal open title={title} onCancel={onClose} footer={null} destroyOnHidden>
      <ErrorBox error={error} />
      <Form<V> layout="vertical" initialValues={initialValues} onFinish={finish}>
        {children(error)}
        <Space>
          <Button type="primary" htmlType="submit" loading={busy}>{t('common.save')}</Button>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Modal>
  );
}
