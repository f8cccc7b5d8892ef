// `lms-sync doctor`: runs the checks, prints the table (or JSON) and answers the exit code.
import type { Config } from '../config';
import { doctorPassed, formatDoctorJson, formatDoctorTable, runDoctor } from '../doctor';
import { EXIT, type ExitCode } from './exit-codes';

export async function runDoctorCli(config: Config, options: { json: boolean }): Promise<ExitCode> {
  const rows = await runDoctor(config);
  process.stdout.write(options.json ? formatDoctorJson(rows) : formatDoctorTable(rows));
  return doctorPassed(rows) ? EXIT.ok : EXIT.attention;
}
