/**
 * DOC-1, DOC-3: the card drawn with pdfkit, server-side, in Noto Sans SC embedded as a subset (only
 * the glyphs used are written, so a card is tens of KB on a machine without any Chinese font).
 * Layout data (size, lines, photo box) is src/domain/cards.ts; its published source is named there
 * and in docs/decisions/0009-card-layout-and-pdf.md. The QR code is drawn as vector squares.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import {
  backLines, CARD_MM, CARDS_PER_SHEET, frontLines, mm, PHOTO_BOX_MM, SHEET, sheetSlot, type CardData, type CardLine,
} from '../../domain/cards.js';
import { zhDate } from '../../domain/dates.js';

const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | null = null;
/** Read once per process (10 MB each); pdfkit subsets per document. */
function fontFiles() {
  fonts ??= {
    regular: readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf')),
    bold: readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf')),
  };
  return fonts;
}

const GREEN = '#1d6b3a';
const INK = '#111111';
const GREY = '#444444';
const W = mm(CARD_MM.width);
const H = mm(CARD_MM.height);

type Doc = PDFKit.PDFDocument;

function newDoc(size: [number, number] | string, title: string): Doc {
  const doc = new PDFDocument({ size, margin: 0, autoFirstPage: false, info: { Title: title, Creator: 'Tongban 通办', Producer: 'Tongban 通办' }, compress: true });
  const f = fontFiles();
  doc.registerFont('sc', f.regular);
  doc.registerFont('sc-bold', f.bold);
  return doc;
}

const finish = (doc: Doc) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });

/** The label/value rows of one side, each value wrapped to its column and cut (never spilling) after its `maxLines`. */
function drawLines(doc: Doc, lines: CardLine[], x: number, y: number, width: number, labelWidth: number, bottom: number) {
  let at = y;
  const valueWidth = width - labelWidth;
  for (const l of lines) {
    doc.font('sc').fontSize(7);
    const lineHeight = doc.currentLineHeight(true);
    const h = Math.min(doc.heightOfString(l.value, { width: valueWidth, lineGap: 0 }), (l.maxLines ?? 2) * lineHeight);
    if (at + h > bottom) break;
    doc.fillColor(INK).text(l.value, x + labelWidth, at, { width: valueWidth, height: h + 1, ellipsis: true, lineGap: 0 });
    doc.font('sc').fontSize(5.6).fillColor(GREY).text(l.label, x, at + 0.9, { width: labelWidth, lineBreak: false });
    at += h + 2.2;
  }
}

function cardFrame(doc: Doc, x: number, y: number, title: string) {
  doc.save().roundedRect(x, y, W, H, mm(3.18)).lineWidth(0.3).strokeColor('#9bbfa6').stroke().restore();
  doc.save().roundedRect(x, y, W, H, mm(3.18)).clip();
  doc.rect(x, y, W, mm(10)).fill(GREEN);
  doc.restore();
  doc.font('sc-bold').fontSize(10).fillColor('#ffffff').text(title, x, y + mm(2.6), { width: W, align: 'center', lineBreak: false, characterSpacing: 0.8 });
}

function drawPhoto(doc: Doc, c: CardData, x: number, y: number) {
  const px = x + mm(PHOTO_BOX_MM.x);
  const py = y + mm(PHOTO_BOX_MM.y);
  const pw = mm(PHOTO_BOX_MM.width);
  const ph = mm(PHOTO_BOX_MM.height);
  if (c.photo) {
    try {
      // cropped to the box: scaled to cover it, centred, the overflow clipped (NEW-9)
      doc.save().rect(px, py, pw, ph).clip();
      doc.image(Buffer.from(c.photo.bytes), px, py, { cover: [pw, ph], align: 'center', valign: 'center' });
      doc.restore();
      doc.rect(px, py, pw, ph).lineWidth(0.3).strokeColor(GREY).stroke();
      return;
    } catch {
      doc.restore(); // an image pdfkit cannot read prints as the empty box below
    }
  }
  doc.save().rect(px, py, pw, ph).lineWidth(0.6).dash(2, { space: 1.5 }).strokeColor('#b00020').stroke().undash().restore();
  doc.font('sc-bold').fontSize(7).fillColor('#b00020').text('无照片', px, py + ph / 2 - 10, { width: pw, align: 'center', lineBreak: false });
  doc.font('sc').fontSize(5).text('照片未提交', px, py + ph / 2 + 1, { width: pw, align: 'center', lineBreak: false });
}

function drawFront(doc: Doc, c: CardData, x: number, y: number) {
  cardFrame(doc, x, y, '中华人民共和国残疾人证');
  drawPhoto(doc, c, x, y);
  const fx = x + mm(28);
  drawLines(doc, frontLines(c), fx, y + mm(13.5), W - mm(28) - mm(4), mm(15), y + H - mm(6));
  doc.font('sc').fontSize(5).fillColor(GREY).text('中国残疾人联合会监制', x, y + H - mm(4.5), { width: W - mm(5), align: 'right', lineBreak: false });
}

/**
 * The QR modules as filled rectangles (one per horizontal run of dark modules): crisp at any zoom, a
 * few KB. Byte mode and a fixed mask pattern: the library's automatic mode split and its trial of all
 * eight masks cost ~8 ms per code (8 s in a batch of 1,000); any mask decodes, and the tests read
 * every printed code back with zbarimg.
 */
function drawQr(doc: Doc, text: string, x: number, y: number, size: number) {
  const qr = QRCode.create([{ data: text, mode: 'byte' }] as any, { errorCorrectionLevel: 'M', maskPattern: 2 } as any);
  const n = qr.modules.size;
  const quiet = 2;
  const cell = size / (n + 2 * quiet);
  doc.save().rect(x, y, size, size).fill('#ffffff');
  doc.fillColor('#000000');
  for (let r = 0; r < n; r++) {
    for (let col = 0; col < n; col++) {
      if (!qr.modules.get(r, col)) continue;
      let end = col;
      while (end + 1 < n && qr.modules.get(r, end + 1)) end++;
      doc.rect(x + (col + quiet) * cell, y + (r + quiet) * cell, (end - col + 1) * cell + 0.01, cell + 0.01);
      col = end;
    }
  }
  doc.fill().restore();
}

function drawBack(doc: Doc, c: CardData, x: number, y: number) {
  cardFrame(doc, x, y, '残疾人证 · 证件信息');
  const qrSize = mm(24);
  const qx = x + W - mm(4) - qrSize;
  drawQr(doc, c.verifyUrl, qx, y + mm(13), qrSize);
  doc.font('sc').fontSize(5).fillColor(GREY).text('扫码核验证件状态', qx, y + mm(13) + qrSize + 1, { width: qrSize, align: 'center', lineBreak: false });
  drawLines(doc, backLines(c), x + mm(4), y + mm(13.5), qx - x - mm(6), mm(15), y + H - mm(3));
}

/** Short lines at each corner, outside the card, where the cutter aligns. */
function cropMarks(doc: Doc, x: number, y: number) {
  const len = mm(SHEET.cropMarkMm);
  const gap = mm(1);
  doc.save().lineWidth(0.25).strokeColor('#000000');
  for (const [cx, cy, sx, sy] of [[x, y, -1, -1], [x + W, y, 1, -1], [x, y + H, -1, 1], [x + W, y + H, 1, 1]] as const) {
    doc.moveTo(cx + sx * gap, cy).lineTo(cx + sx * (gap + len), cy).stroke();
    doc.moveTo(cx, cy + sy * gap).lineTo(cx, cy + sy * (gap + len)).stroke();
  }
  doc.restore();
}

function sheetFooter(doc: Doc, text: string) {
  doc.font('sc').fontSize(7).fillColor(GREY).text(text, mm(10), mm(SHEET.heightMm - 8), { width: mm(SHEET.widthMm - 20), align: 'center', lineBreak: false });
}

export type BatchSheetInfo = { title: string; footer: string; watermark?: string };

/**
 * DOC-1 a print batch: A4 sheets of 2 × 4 cards at true size (ISO/IEC 7810 ID-1), crop marks at
 * every corner. Each sheet of fronts is followed by its sheet of backs with the columns mirrored,
 * so a duplex printer flipping on the long edge puts each back behind its own front.
 */
export async function renderBatch(cards: CardData[], info: BatchSheetInfo): Promise<Buffer> {
  const doc = newDoc('A4', info.title);
  for (let first = 0; first < cards.length; first += CARDS_PER_SHEET) {
    const sheet = cards.slice(first, first + CARDS_PER_SHEET);
    const sheetNo = first / CARDS_PER_SHEET + 1;
    const sheets = Math.ceil(cards.length / CARDS_PER_SHEET);
    for (const side of ['front', 'back'] as const) {
      doc.addPage({ size: 'A4', margin: 0 });
      sheet.forEach((c, i) => {
        const slot = sheetSlot(side === 'front' ? i : mirrored(i));
        const x = mm(slot.x);
        const y = mm(slot.y);
        if (side === 'front') drawFront(doc, c, x, y);
        else drawBack(doc, c, x, y);
        cropMarks(doc, x, y);
        if (info.watermark) watermark(doc, info.watermark, x, y);
      });
      sheetFooter(doc, `${info.footer}　第${sheetNo}/${sheets}张 ${side === 'front' ? '正面' : '背面（长边翻转双面打印）'}`);
    }
  }
  return finish(doc);
}

const mirrored = (i: number) => {
  const col = i % SHEET.columns;
  return i - col + (SHEET.columns - 1 - col);
};

/** Across each card, not only the sheet: a preview card cut out of the sheet must still say it is one. */
function watermark(doc: Doc, text: string, x: number, y: number) {
  doc.save().font('sc-bold').fontSize(16).fillColor('#c00000').opacity(0.25);
  doc.rotate(-20, { origin: [x + W / 2, y + H / 2] }).text(text, x - mm(10), y + H / 2 - 10, { width: W + mm(20), align: 'center', lineBreak: false });
  doc.restore();
}

/**
 * DOC-3 the electronic certificate: one A4 page with the front and back at true size, the live check
 * address, and the rule that the QR's status page, not this file, tells whether it is valid.
 */
export async function renderElectronic(c: CardData, downloadedOn: string): Promise<Buffer> {
  const doc = newDoc('A4', '电子残疾人证');
  doc.addPage({ size: 'A4', margin: 0 });
  doc.font('sc-bold').fontSize(18).fillColor(INK).text('中华人民共和国残疾人证（电子证照）', 0, mm(20), { width: mm(210), align: 'center' });
  doc.font('sc').fontSize(9).fillColor(GREY).text('Electronic disability certificate', 0, mm(29), { width: mm(210), align: 'center' });
  const x = mm((210 - CARD_MM.width) / 2);
  drawFront(doc, c, x, mm(42));
  drawBack(doc, c, x, mm(42 + CARD_MM.height + 10));
  const note = [
    `下载日期：${zhDate(downloadedOn)}`,
    '本电子证照仅在残疾人证有效期间有效。证件被挂失、冻结、注销或换发后立即失效。',
    '请扫描背面二维码，以核验页面显示的实时状态为准。',
    `核验地址：${c.verifyUrl}`,
  ];
  doc.font('sc').fontSize(9).fillColor(INK).text(note.join('\n'), mm(25), mm(42 + 2 * CARD_MM.height + 20), { width: mm(160), lineGap: 3 });
  return finish(doc);
}
