/** SEC-1: the catalogue key naming each kind of full view (the server's `what`). */
import type { MessageKey } from '../i18n/zh';

export const DATA_VIEW_LABELS: Record<string, MessageKey> = {
  person_record: 'dataViews.what.person_record',
  archive_document: 'dataViews.what.archive_document',
  archive_export: 'dataViews.what.archive_export',
  case_document: 'dataViews.what.case_document',
  visit_list: 'dataViews.what.visit_list',
  partner_disclosure: 'dataViews.what.partner_disclosure',
  agreement_export: 'dataViews.what.agreement_export',
  card_print: 'dataViews.what.card_print',
};
