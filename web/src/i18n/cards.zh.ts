/** 制证、电子证照（DOC-1、DOC-3） — kept apart so parallel edits of zh.ts do not collide. */
export const cardsZh = {
  'cards.title': '制证',
  'cards.intro': '先打开打印预览核对证面信息；确认无误后加入制证批次，打印批次PDF（A4，实际尺寸，带裁切线，长边翻转双面打印），打印完成后确认，案件才进入“待寄送”。',
  'cards.preview': '打开打印预览（PDF）',
  'cards.createBatch': '加入制证批次',
  'cards.batchPdf': '打开制证批次PDF并打印',
  'cards.confirm': '已打印完成，确认制证',
  'cards.confirmed': '已确认制证，共{n}张。',
  'cards.reprintTitle': '补打（重印）',
  'cards.reprintReason': '重印原因',
  'cards.reprintCreate': '新建重印批次',
  'cards.mineTitle': '我的残疾人证',
  'cards.mineIntro': '电子证照仅在残疾人证有效期间有效；扫描证上的二维码可随时查看实时状态。',
  'cards.download': '下载电子证照（PDF）',
  'cards.notValid': '证件当前无效，不能下载电子证照',
  'cards.validity': '有效期至{date}',
  'dataViews.what.card_print': '制证（打印残疾人证）',
} as const;
