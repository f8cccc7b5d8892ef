// What a command run in-process writes on stdout, kept instead of printed (one test at a time).
export interface CapturedStdout {
  text(): string;
}

/** Captures process.stdout for each test of the enclosing describe. */
export function captureStdout(): CapturedStdout {
  let out: string[] = [];
  let spy: jest.SpyInstance | undefined;
  beforeEach(() => {
    out = [];
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
  });
  afterEach(() => spy?.mockRestore());
  return { text: () => out.join('') };
}
