// Moodle's PHP-style form parameters: what the adapter writes, what the simulator reads back.
import { encodeMoodleForm } from '../../../../src/lms/moodle-form';
import { decodeMoodleForm, listOf, MAX_FORM_PAIRS } from '../../../../src/sim/moodle';

describe('encodeMoodleForm', () => {
  it('spells lists and structures with brackets, percent-encoded, booleans as 1 and 0', () => {
    const body = encodeMoodleForm({
      wsfunction: 'core_user_create_users',
      users: [{ email: 'an+a@example.com', firstname: 'Thị Hoa', createpassword: true }],
      options: [
        { name: 'limitfrom', value: 0 },
        { name: 'onlysuspended', value: false },
      ],
      skipped: undefined,
    });
    expect(body).toBe(
      [
        'wsfunction=core_user_create_users',
        'users%5B0%5D%5Bemail%5D=an%2Ba%40example.com',
        'users%5B0%5D%5Bfirstname%5D=Th%E1%BB%8B%20Hoa',
        'users%5B0%5D%5Bcreatepassword%5D=1',
        'options%5B0%5D%5Bname%5D=limitfrom',
        'options%5B0%5D%5Bvalue%5D=0',
        'options%5B1%5D%5Bname%5D=onlysuspended',
        'options%5B1%5D%5Bvalue%5D=0',
      ].join('&'),
    );
  });
});

describe('decodeMoodleForm', () => {
  it('reads back what the adapter writes', () => {
    const params = {
      enrolments: [
        { roleid: 5, userid: 7, courseid: 2, suspend: 1 },
        { roleid: 5, userid: 8, courseid: 2, suspend: 0 },
      ],
      field: 'email',
      values: ['a&b=c@example.com'],
    };
    const tree = decodeMoodleForm(encodeMoodleForm(params));
    expect(listOf(tree.enrolments)).toEqual([
      { roleid: '5', userid: '7', courseid: '2', suspend: '1' },
      { roleid: '5', userid: '8', courseid: '2', suspend: '0' },
    ]);
    expect(tree.field).toBe('email');
    expect(listOf(tree.values)).toEqual(['a&b=c@example.com']);
  });

  it('reads raw brackets, + as a space and a[] as an append, as PHP does', () => {
    const tree = decodeMoodleForm('values[]=a&values[]=b&users[0][firstname]=Jane+Doe&flag');
    expect(listOf(tree.values)).toEqual(['a', 'b']);
    expect(tree.users).toEqual({ 0: { firstname: 'Jane Doe' } });
    expect(tree.flag).toBe('');
    expect(listOf(tree.flag)).toBeNull();
  });

  it.each([
    ['bad percent-encoding', 'a=%E0%A4%A'],
    ['a name PHP would not read', 'a]b=1'],
    ['a prototype key', 'users[__proto__][x]=1'],
    ['too deep', 'a[1][2][3][4][5][6]=1'],
    ['too many parameters', Array.from({ length: MAX_FORM_PAIRS + 1 }, (_, i) => `k${i}=1`).join('&')],
  ])('refuses %s', (_, text) => {
    expect(() => decodeMoodleForm(text)).toThrow();
  });
});
