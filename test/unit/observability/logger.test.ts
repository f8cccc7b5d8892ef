import { createLogger, maskEmail, maskPhone, maskValue } from '../../../src/observability/logger';

describe('log masking', () => {
  it('masks emails inside any string', () => {
    expect(maskEmail('student jane.doe@example.com failed')).toBe('student j***@example.com failed');
  });

  it('masks phone numbers under phone-like keys, keeping the last two digits', () => {
    expect(maskPhone('+84 912 345 678')).toBe('***78');
    expect(maskValue('phone', '+84 912 345 678')).toBe('***78');
  });

  it('redacts secrets by key, at any depth', () => {
    const masked = maskValue('ctx', {
      apiKey: 'abc',
      nested: { authorization: 'Bearer x', email: 'a@b.co' },
    });
    expect(masked).toEqual({
      apiKey: '[redacted]',
      nested: { authorization: '[redacted]', email: 'a***@b.co' },
    });
  });

  it('masks emails in error messages and in their stacks', () => {
    const m = maskValue('error', new Error('no such user bob@corp.vn')) as { message: string; stack: string };
    expect(m.message).toBe('no such user b***@corp.vn');
    expect(m.stack).toContain('b***@corp.vn');
    expect(m.stack).not.toContain('bob@corp.vn');
  });
});

describe('a logger with its own output', () => {
  it('hands over one masked JSON line per call, and nothing below its level', async () => {
    const lines: string[] = [];
    const log = createLogger('info', { output: { write: (line) => lines.push(line) } });
    log.debug('not this one');
    log.info('odoo login', { email: 'ada@example.com', apiKey: 'k-123' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'info',
      message: 'odoo login',
      email: 'a***@example.com',
      apiKey: '[redacted]',
    });
  });
});
