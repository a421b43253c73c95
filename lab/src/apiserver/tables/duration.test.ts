import { humanDuration, parseTime, shortHumanDuration, since } from './duration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration (apimachinery HumanDuration)', () => {
  test.each([
    [-2 * s, '<invalid>'],
    [-1999, '0s'],
    [-1, '0s'],
    [0, '0s'],
    [999, '0s'],
    [5 * s, '5s'],
    [119 * s + 999, '119s'],
    [2 * m, '2m'],
    [3 * m + 2 * s, '3m2s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 5 * m, '3h5m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [2 * d + 3 * h, '2d3h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d + 5 * h, '8d'],
    [45 * d, '45d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [731 * d, '2y1d'],
    [3 * 365 * d + 10 * d, '3y10d'],
    [8 * 365 * d + 100 * d, '8y'],
  ])('%d ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('shortHumanDuration (apimachinery ShortHumanDuration)', () => {
  test.each([
    [-3 * s, '<invalid>'],
    [-1 * s, '0s'],
    [59 * s, '59s'],
    [60 * s, '1m'],
    [3 * m + 2 * s, '3m'],
    [59 * m, '59m'],
    [2 * h + 59 * m, '2h'],
    [2 * d + 3 * h, '2d'],
    [364 * d, '364d'],
    [366 * d, '1y'],
    [800 * d, '2y'],
  ])('%d ms is %s', (ms, text) => {
    expect(shortHumanDuration(ms)).toBe(text);
  });
});

describe('parseTime (Go time.Parse with time.RFC3339)', () => {
  test.each([
    ['2024-01-02T03:04:05Z', Date.UTC(2024, 0, 2, 3, 4, 5)],
    ['2024-01-02T03:04:05.123456Z', Date.UTC(2024, 0, 2, 3, 4, 5, 123)],
    ['2024-01-02T03:04:05+02:00', Date.UTC(2024, 0, 2, 1, 4, 5)],
    ['2024-01-02T03:04:05-00:30', Date.UTC(2024, 0, 2, 3, 34, 5)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
  ])('%s is read', (text, ms) => {
    expect(parseTime(text)).toBe(ms);
  });

  test.each(['', 'null', '2024-01-02', '2024-01-02 03:04:05Z', '2024-01-02t03:04:05Z', '2024-01-02T03:04:05z', '2023-02-29T00:00:00Z', '2024-13-01T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T00:00:60Z', '2024-01-01T00:00:00+25:00'])(
    '%s is not a time',
    (text) => {
      expect(parseTime(text)).toBeUndefined();
    },
  );
});

describe('since (translateTimestampSince)', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  test.each([
    ['2024-05-01T11:59:55Z', '5s'],
    ['2024-04-29T09:00:00Z', '2d3h'],
    ['2024-05-01T12:00:01Z', '0s'],
    ['2024-05-01T12:01:00Z', '<invalid>'],
    ['0001-01-01T00:00:00Z', '<unknown>'],
    [undefined, '<unknown>'],
    [null, '<unknown>'],
    ['garbage', '<unknown>'],
  ])('%s is %s old', (ts, age) => {
    expect(since(ts, now)).toBe(age);
  });
});
