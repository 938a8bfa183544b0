/**
 * Issue 15 item 1: validation errors in plain Chinese and English, per field, for the API — never
 * "请求内容有误：body.password — Too small: expected string to have >=8 characters".
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { fieldName, issueText } from '../src/domain/validation-text.js';
import { Client, harness, login } from './harness.js';

const freshPhone = () => `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const TECHNICAL = /body\.|querystring\.|Too small|Too big|Invalid input|expected string|expected number|received/;

test('MSG-1 API validation errors are plain sentences naming the field in words: 密码至少需要8个字符', async () => {
  const h = await harness();
  const anon = new Client(h.app);
  const short = await anon.post('/api/applicant/register', { name: '测试', phone: freshPhone(), code: '123456', password: 'short1' });
  assert.equal(short.status, 422);
  assert.equal(short.body.error.code, 'request.invalid');
  assert.equal(short.body.error.field, 'body.password');
  assert.equal(short.body.error.zh, '密码至少需要8个字符。');
  assert.equal(short.body.error.en, 'The password needs at least 8 characters.');

  // every problem at once, each in words; the schema's own advice for the phone number is kept
  const several = await anon.post('/api/applicant/register', { phone: '12345', code: '123456', password: 'x' });
  assert.equal(several.status, 422);
  assert.equal(several.body.error.zh, '手机号码：手机号为1开头的11位数字。密码至少需要8个字符。请填写姓名。');
  assert.equal(several.body.error.en, 'Phone number: 11 digits starting with 1. The password needs at least 8 characters. Please fill in the name.');
  for (const text of [several.body.error.zh, several.body.error.en]) assert.doesNotMatch(text, TECHNICAL);
});

test('MSG-1 staff API: an unknown choice and a query parameter are told in words, in both languages', async () => {
  const h = await harness();
  const clerk = await login(h, 'xihu.clerk');
  const bad = await clerk.get('/api/worklist?pageSize=0');
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'querystring.pageSize');
  assert.equal(bad.body.error.zh, '每页条数不能小于1。');
  assert.equal(bad.body.error.en, 'The page size must be at least 1.');
});

test('MSG-1 every kind of zod issue becomes a plain sentence; unknown fields fall back to words', () => {
  const issues = z
    .object({
      password: z.string().min(8),
      note: z.string().max(5),
      categories: z.array(z.number().int().max(7)).min(1),
      channel: z.enum(['written', 'phone']),
      institutionId: z.string().uuid(),
      visitOn: z.iso.date(),
      deliveryAddress: z.string(),
      qualified: z.boolean(),
    })
    .safeParse({ password: 'a', note: '123456', categories: [], channel: 'fax', institutionId: 'x', visitOn: '2026-02-30', qualified: 'yes' }).error!.issues;
  assert.deepEqual(issues.map((i) => issueText(i as any).zh), [
    '密码至少需要8个字符。',
    '备注最多5个字符，请删减。',
    '请至少选择一项残疾类别。',
    '申请方式须从以下选择一项：written、phone。',
    '评定机构不是有效的编号，请从列表中选择。',
    '上门日期须为真实存在的日期，格式如 2026-12-09。',
    '请填写“delivery address”。',
    '是否达到残疾标准应填写“是”或“否”。',
  ]);
  assert.equal(issueText(issues[6] as any).en, 'Please fill in the delivery address.');
  assert.equal(issueText({ code: 'too_big', origin: 'number', maximum: 7, inclusive: true, path: ['categories', 0] }).zh, '残疾类别不能大于7。');
  assert.deepEqual(fieldName(['phone']), { zh: '手机号码', en: 'phone number' });
  assert.deepEqual(fieldName(['idNumber']), { zh: '身份证号码', en: 'ID number' });
});
