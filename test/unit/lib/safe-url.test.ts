import { maskUrl, urlHost } from '../../../src/lib';

describe('maskUrl', () => {
  it.each([
    [
      'postgres://svc:s3cret@db.internal:5432/lms_sync?sslmode=require',
      'postgres://svc@db.internal:5432/lms_sync',
    ],
    ['amqp://guest:guest@127.0.0.1:5672', 'amqp://guest@127.0.0.1:5672'],
    ['http://127.0.0.1:8069/', 'http://127.0.0.1:8069'],
    ['https://lms.example.com/api/v1?token=abc#x', 'https://lms.example.com/api/v1'],
    ['whsec_notaurl', '(not a URL)'],
  ])('%s → %s', (input, shown) => {
    expect(maskUrl(input)).toBe(shown);
    expect(maskUrl(input)).not.toMatch(/s3cret|token=|guest:guest/);
  });

  it('urlHost names host and port only', () => {
    expect(urlHost('postgres://svc:s3cret@db.internal:5432/x')).toBe('db.internal:5432');
    expect(urlHost('nonsense')).toBe('(not a URL)');
  });
});
