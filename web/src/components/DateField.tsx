/**
 * A date (or month) chooser that reads in Chinese whatever the browser's own language: antd's
 * DatePicker with the zh_CN locale and dayjs 'zh-cn' (set in main.tsx), instead of the native
 * <input type=date> that shows "mm/dd/yyyy" in an English browser. The value stays the API's
 * 'YYYY-MM-DD' (or 'YYYY-MM') string, so forms and requests are unchanged; typed dates are accepted
 * as shown ("2026年12月9日") or as 2026-12-09.
 */
import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import type { CSSProperties } from 'react';
import { useI18n } from '../i18n';

type Props = {
  value?: string;
  onChange?: (value: string) => void;
  picker?: 'date' | 'month';
  id?: string;
  style?: CSSProperties;
  'aria-invalid'?: boolean;
  'aria-label'?: string;
  'aria-describedby'?: string;
};

export function DateField({ value, onChange, picker = 'date', style, ...rest }: Props) {
  const { lang } = useI18n();
  const month = picker === 'month';
  const wire = month ? 'YYYY-MM' : 'YYYY-MM-DD';
  const shown = month ? (lang === 'zh' ? 'YYYY年M月' : 'MMM YYYY') : lang === 'zh' ? 'YYYY年M月D日' : 'D MMM YYYY';
  const parsed = value ? dayjs(value) : null;
  return (
    <DatePicker
      picker={picker}
      format={[shown, wire]}
      value={parsed && parsed.isValid() ? parsed : null}
      onChange={(d) => onChange?.(d ? d.format(wire) : '')}
      style={{ minWidth: 180, ...style }}
      {...rest}
    />
  );
}
