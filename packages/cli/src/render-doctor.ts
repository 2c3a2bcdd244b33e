import type { DoctorReport } from '@site-cli/core';

const MARK = { pass: '✔', warn: '!', fail: '✖' } as const;

/** One line per check, its fix indented under it, and a count at the end. */
export function renderDoctor(report: DoctorReport): string {
  const lines: string[] = [];
  for (const check of report.checks) {
    lines.push(`${MARK[check.status]} ${check.name}: ${check.message}`);
    if (check.fix && check.status !== 'pass') lines.push(`    fix: ${check.fix}`);
  }
  const count = (status: string) => report.checks.filter((c) => c.status === status).length;
  lines.push('', `${count('pass')} passed, ${count('warn')} warnings, ${count('fail')} failed`);
  return lines.join('\n');
}
