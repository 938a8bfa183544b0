/** Categories and levels in the short form the case and person pages show: “肢体 二级、视力 一级”. */
import type { Lang } from '../i18n';

const CATEGORY = { zh: ['视力', '听力', '言语', '肢体', '智力', '精神', '多重'], en: ['Vision', 'Hearing', 'Speech', 'Physical', 'Intellectual', 'Mental', 'Multiple'] };

export const categoryShort = (n: number, lang: Lang) => CATEGORY[lang][n - 1];

export const disabilitiesText = (list: { category: number; level: number }[], lang: Lang) =>
  list.map((x) => `${categoryShort(x.category, lang)} ${lang === 'zh' ? ['一', '二', '三', '四'][x.level - 1] + '级' : 'level ' + x.level}`).join('、');
