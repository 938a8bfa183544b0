/** An error from the API at the top of a form, announced to screen readers, in the chosen language. */
import { Alert } from 'antd';
import { ApiError } from '../api';
import { useI18n } from '../i18n';

export function ErrorBox({ error }: { error: unknown }) {
  const { pick, lang } = useI18n();
  if (!error) return null;
  const text = error instanceof ApiError ? pick(error.text) : lang === 'zh' ? '出现错误，请重试。' : 'Something went wrong; please retry.';
  return <Alert type="error" showIcon role="alert" title={text} style={{ marginBottom: 16 }} />;
}

/** The message for a field, when the API named that field (or one of its aliases: domain errors say 'idNumber'). */
export function fieldError(error: unknown, field: string | string[], pick: (b: { zh: string; en: string }) => string): string | undefined {
  if (!(error instanceof ApiError) || !error.field) return undefined;
  const f = error.field.replace(/^body\./, '');
  return (Array.isArray(field) ? field : [field]).some((name) => f === name || f.startsWith(name + '.')) ? pick(error.text) : undefined;
}
