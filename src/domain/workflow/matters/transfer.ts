/**
 * TRANSFER — 迁移 on a hukou move (002 §4.3). The person applies at the new hukou county with the
 * police's transfer proof or the new hukou book; that county approves, which sends a transfer notice
 * to the county that held the certificate (the origin); the origin county uploads the archive's
 * electronic files (application form, assessment form, guardian proof, publicity records — the paper
 * stays with it); then the new county prints the card. Number, validity and archive follow the person
 * (TRF-1, TRF-2). A pre-2018 visual assessment is flagged for reassessment by a set date (TRF-3).
 */
import { z } from 'zod';
import { addCalendarDays } from '../../dates.js';
import type { Guard } from '../types.js';
import { materialsComplete } from './new.js';
import { ACCEPTANCE_ACTIONS, ACCEPTANCE_STATES, CARD_ACTIONS, CARD_STATES, certificateMatter, HUKOU_DESK, label, pickActions, pickStates } from './shared.js';

/** TRF-3: how long the new county gives a visually assessed holder to be reassessed. */
export const REASSESSMENT_AFTER_TRANSFER_DAYS = 183;

const archiveUploaded: Guard = (ctx) =>
  (ctx.snap.documents ?? []).includes('archive_file')
    ? null
    : { zh: '请先上传档案电子材料（申请表、评定表、监护证明、公示记录等）。', en: 'upload the archive’s electronic files first (application form, assessment form, guardian proof, publicity records).' };

export const TRANSFER_MATTER = certificateMatter({
  code: 'transfer',
  label: label('残疾人证迁移', 'Transfer on a hukou move'),
  states: {
    // the archive's hand-over leads straight to printing: the card keeps the photo on file, so there is
    // no wait for a photo and no abandonment for want of one (the definition linter found both unreachable)
    ...pickStates(...ACCEPTANCE_STATES, 'rejected', ...CARD_STATES.filter((s) => s !== 'awaiting_photo' && s !== 'abandoned')),
    awaiting_archive: { label: label('待原户籍地移交档案', 'Waiting for the former county’s archive'), waitingOn: { side: 'origin', roles: [...HUKOU_DESK] } },
  },
  actions: {
    ...pickActions(...ACCEPTANCE_ACTIONS, ...CARD_ACTIONS),
    approve_transfer: {
      label: label('审批迁入，通知原户籍地移交档案', 'Approve the transfer and notify the former county'),
      from: ['submitted'],
      to: 'awaiting_archive',
      side: 'hukou',
      roles: ['approver'],
      input: z.object({ note: z.string().trim().max(500).optional() }),
      guards: [materialsComplete],
      clock: { stop: ['acceptance'] },
      effects: ['replaceCertificate'],
      apply: (ctx) => ({
        transferNotice: { on: ctx.today, note: ctx.input.note ?? '' },
        ...(ctx.snap.certificate?.visualAssessment ? { reassessmentDueBy: addCalendarDays(ctx.today, REASSESSMENT_AFTER_TRANSFER_DAYS) } : {}),
      }),
    },
    reject: {
      label: label('不予迁入', 'Refuse the transfer'),
      from: ['submitted'],
      to: 'rejected',
      side: 'hukou',
      roles: ['approver'],
      input: z.object({ reason: z.string().trim().min(2).max(500) }),
      clock: { stop: ['acceptance'] },
      apply: (ctx) => ({ rejection: { on: ctx.today, reason: ctx.input.reason } }),
    },
    send_archive: {
      label: label('移交档案电子材料', 'Hand over the archive files'),
      from: ['awaiting_archive'],
      to: 'printing',
      side: 'origin',
      roles: [...HUKOU_DESK],
      input: z.object({ paperKeptAt: z.string().trim().max(200).optional() }),
      guards: [archiveUploaded],
      clock: { start: ['hukou_issue'] },
      apply: (ctx) => ({ archiveHandover: { on: ctx.today, paperKeptAt: ctx.input.paperKeptAt ?? '' } }),
    },
  },
});
