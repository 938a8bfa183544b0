import type { cardsZh } from './cards.zh';

export const cardsEn: Record<keyof typeof cardsZh, string> = {
  'cards.title': 'Card printing',
  'cards.intro': 'Open the print preview and check the card first; then add it to a print batch, print the batch PDF (A4, true size, crop marks, duplex flipped on the long edge) and confirm once printed: only then does the case move to “to ship”.',
  'cards.preview': 'Open the print preview (PDF)',
  'cards.createBatch': 'Add to a print batch',
  'cards.batchPdf': 'Open the batch PDF and print it',
  'cards.confirm': 'Printed: confirm the batch',
  'cards.confirmed': 'Batch confirmed: {n} card(s).',
  'cards.reprintTitle': 'Reprint',
  'cards.reprintReason': 'Reason for the reprint',
  'cards.reprintCreate': 'Create a reprint batch',
  'cards.mineTitle': 'My disability certificates',
  'cards.mineIntro': 'The electronic certificate is valid only while the certificate is; scan its QR code at any time for the live status.',
  'cards.download': 'Download the electronic certificate (PDF)',
  'cards.notValid': 'Not valid now: no electronic certificate',
  'cards.validity': 'Valid until {date}',
  'dataViews.what.card_print': 'Card printing',
};
