/**
 * ASMT-2: the measurements of one disability on the assessment form, by category. The server
 * computes the level they imply (GB/T 26341) and asks for a justification when the conclusion differs.
 */
import { Form, Input, InputNumber, Select } from 'antd';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh';
import { categoryShort } from './disabilityText';

type FieldSpec = { key: string; label: MessageKey; min: number; max: number; step?: number };
const BY_CATEGORY: Record<number, FieldSpec[]> = {
  1: [
    { key: 'bestCorrectedAcuityLeft', label: 'm.acuityLeft', min: 0, max: 2, step: 0.01 },
    { key: 'bestCorrectedAcuityRight', label: 'm.acuityRight', min: 0, max: 2, step: 0.01 },
    { key: 'visualFieldRadiusDeg', label: 'm.fieldRadius', min: 0, max: 180 },
  ],
  2: [
    { key: 'averageLossLeftDb', label: 'm.lossLeft', min: 0, max: 130 },
    { key: 'averageLossRightDb', label: 'm.lossRight', min: 0, max: 130 },
    { key: 'ageYears', label: 'm.age', min: 0, max: 130 },
  ],
  3: [{ key: 'intelligibilityPercent', label: 'm.intelligibility', min: 0, max: 100 }],
  5: [
    { key: 'ageYears', label: 'm.age', min: 0, max: 130 },
    { key: 'dq', label: 'm.dq', min: 0, max: 200 },
    { key: 'iq', label: 'm.iq', min: 0, max: 200 },
    { key: 'whoDas', label: 'm.whoDas', min: 0, max: 180 },
  ],
  6: [
    { key: 'ageYears', label: 'm.age', min: 0, max: 130 },
    { key: 'whoDas', label: 'm.whoDas', min: 0, max: 180 },
  ],
};

/**
 * Each field is named for what it measures ("左眼最佳矫正视力"); a measure several categories share
 * (age, WHO-DAS II) says which category it belongs to, since a form lists each category once.
 */
export function MeasurementFields({ row, category }: { row: number; category?: number; index?: number }) {
  const { t, lang } = useI18n();
  if (!category) return null;
  const shared = (key: string) => Object.entries(BY_CATEGORY).filter(([, fs]) => fs.some((f) => f.key === key)).length > 1;
  const named = (key: string, label: MessageKey) => (shared(key) ? `${categoryShort(category, lang)}${lang === 'zh' ? '：' : ': '}${t(label)}` : t(label));
  if (category === 4) {
    return (
      <Form.Item name={[row, 'm', 'criterion']} label={t('m.criterion')}>
        <Input placeholder={t('m.criterionHint')} />
      </Form.Item>
    );
  }
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0 16px' }}>
      {BY_CATEGORY[category].map((f) => (
        <Form.Item key={f.key} name={[row, 'm', f.key]} label={named(f.key, f.label)}>
          <InputNumber min={f.min} max={f.max} step={f.step ?? 1} style={{ width: 160 }} />
        </Form.Item>
      ))}
      {category === 5 && (
        <Form.Item name={[row, 'm', 'adaptiveBehaviourLevel']} label={t('m.adaptive')}>
          <Select allowClear style={{ width: 160 }} options={[1, 2, 3, 4].map((l) => ({ value: l, label: String(l) }))} />
        </Form.Item>
      )}
    </div>
  );
}

/** The measurements the doctor filled in, per row, as the API takes them (rows left empty are omitted). */
export function measurementsOf(rows: { category?: number; level?: number; m?: Record<string, unknown> }[]) {
  return rows
    .filter((r) => r.category && r.m && Object.values(r.m).some((v) => v !== undefined && v !== null && v !== ''))
    .map((r) => (r.category === 4 ? { category: 4, criterionLevel: r.level, criterion: String(r.m!.criterion ?? '') } : { category: r.category, ...r.m }));
}
