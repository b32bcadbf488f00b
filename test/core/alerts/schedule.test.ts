import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config.ts';
import { daysBetween, nextDigestAt, parseTimeOfDay } from '../../../src/core/alerts/schedule.ts';

test('GIVEN a digest time in a zone THEN the next instant is found, across daylight-saving changes', () => {
  assert.equal(nextDigestAt('09:00', 'UTC', new Date('2025-03-18T08:00:00Z')), '2025-03-18T09:00:00.000Z');
  assert.equal(nextDigestAt('09:00', 'UTC', new Date('2025-03-18T09:00:01Z')), '2025-03-19T09:00:00.000Z');
  assert.equal(nextDigestAt('09:30', 'Europe/Berlin', new Date('2025-03-18T06:00:00Z')), '2025-03-18T08:30:00.000Z');
  // Berlin moves to summer time on 2025-03-30: 09:30 is 07:30 UTC from then on.
  assert.equal(nextDigestAt('09:30', 'Europe/Berlin', new Date('2025-03-29T12:00:00Z')), '2025-03-30T07:30:00.000Z');
  assert.equal(nextDigestAt('07:45', 'America/New_York', new Date('2025-03-18T12:00:00Z')), '2025-03-19T11:45:00.000Z');
  assert.equal(nextDigestAt('00:15', 'Asia/Tokyo', new Date('2025-03-18T15:00:00Z')), '2025-03-18T15:15:00.000Z');
});

test('GIVEN times and day ranges THEN they parse and count as expected', () => {
  assert.equal(parseTimeOfDay('7:05'), '07:05');
  assert.equal(parseTimeOfDay('24:00'), undefined);
  assert.deepEqual(daysBetween('2025-03-17', '2025-03-20', 7), ['2025-03-18', '2025-03-19']);
  assert.deepEqual(daysBetween('2025-01-01', '2025-03-01', 3), ['2025-02-26', '2025-02-27', '2025-02-28']);
  assert.deepEqual(daysBetween('2025-03-20', '2025-03-18', 7), []);
});

test('GIVEN alert settings in the environment THEN typed config, or one clear line per mistake', () => {
  const config = loadConfig({
    SOURCES: 'huggingface, arxiv-rss, inbox',
    INBOX_DIR: '/tmp/inbox',
    ARXIV_CATEGORIES: 'cs.CL+cs.LG',
    ARXIV_INCLUDE_CROSS: 'yes',
    POLL_INTERVAL_MINUTES: '30',
    DIGEST_TIME: '08:15',
    TZ: 'Europe/Berlin',
    HF_API_URL: 'http://127.0.0.1:9/',
  });
  assert.deepEqual(config.alerts.sources, ['huggingface', 'arxiv', 'inbox']);
  assert.deepEqual(config.alerts.arxivCategories, ['cs.CL', 'cs.LG']);
  assert.equal(config.alerts.arxivIncludeCross, true);
  assert.equal(config.alerts.pollIntervalMinutes, 30);
  assert.equal(config.alerts.timeZone, 'Europe/Berlin');
  assert.equal(config.alerts.hfApiUrl, 'http://127.0.0.1:9/');
  const defaults = loadConfig({}).alerts;
  assert.deepEqual(
    [defaults.sources, defaults.hfApiUrl, defaults.arxivRssUrl, defaults.arxivApiUrl],
    [['huggingface'], 'https://huggingface.co', 'https://rss.arxiv.org', 'https://export.arxiv.org'],
  );
  const cases: [Record<string, string>, RegExp][] = [
    [{ SOURCES: 'twitter' }, /SOURCES: unknown source "twitter"/],
    [{ SOURCES: 'inbox' }, /INBOX_DIR is missing/],
    [{ ARXIV_CATEGORIES: 'cs.CL,../etc' }, /ARXIV_CATEGORIES: "..\/etc"/],
    [{ POLL_INTERVAL_MINUTES: 'often' }, /POLL_INTERVAL_MINUTES must be/],
    [{ POLL_INTERVAL_MINUTES: '1' }, /at least 5/],
    [{ DIGEST_TIME: '9am' }, /DIGEST_TIME must be/],
    [{ TZ: 'Mars/Base' }, /TZ must be an IANA time zone/],
    [{ ARXIV_RSS_URL: 'file:///etc' }, /ARXIV_RSS_URL must be an http/],
    [{ ARXIV_INCLUDE_CROSS: 'maybe' }, /ARXIV_INCLUDE_CROSS must be true or false/],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => error instanceof ConfigError && message.test(error.message) && !error.message.includes('\n'),
      JSON.stringify(env),
    );
  }
});
