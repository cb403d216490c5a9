// The group's URL path: plain segments percent-encoded, `/` and empty values in URL-safe base64.
import { describe, expect, it } from 'vitest';
import { checkGroupingKey, groupPath } from '../../src/push/grouping-key.js';

describe('groupPath', () => {
  it.each<[string, string, Record<string, string>, string]>([
    ['the job alone', 'nightly', {}, '/metrics/job/nightly'],
    ['labels in the order given', 'j', { instance: 'h1', shard: '2' }, '/metrics/job/j/instance/h1/shard/2'],
    ['a job with "/"', 'a/b', {}, '/metrics/job@base64/YS9i'],
    ['a value with "/"', 'j', { path: '/var/tmp' }, '/metrics/job/j/path@base64/L3Zhci90bXA'],
    ['URL-safe base64 (no "+" or "/")', 'j', { v: '/>>?' }, '/metrics/job/j/v@base64/Lz4-Pw'],
    ['an empty value', 'j', { region: '' }, '/metrics/job/j/region@base64/='],
    ['reserved characters percent-encoded', 'a b', { note: '50%?#@' }, '/metrics/job/a%20b/note/50%25%3F%23%40'],
  ])('%s', (_, job, groupingKey, path) => {
    expect(groupPath(checkGroupingKey('test', job, groupingKey))).toBe(path);
  });
});
