/**
 * Backing up and restoring PostgreSQL is PostgreSQL's own tools' job (`pg_dump`, `pg_restore`): these are the lines
 * to run for paperboy's database, with the URL's password left out (it is given to the tools through PGPASSWORD or
 * ~/.pgpass instead, so it never lands in a shell history or a log).
 */

export interface ToolLine {
  /** The shell command, safe to show. */
  command: string;
  /** Whether the URL held a password that was left out. */
  passwordLeftOut: boolean;
}

/** `pg_dump` to a custom-format archive `file`, which `pg_restore` reads back. */
export function pgDumpLine(url: string, file: string): ToolLine {
  const { target, passwordLeftOut } = withoutPassword(url);
  return {
    command: `pg_dump --format=custom --no-owner --file=${shellQuote(file)} --dbname=${shellQuote(target)}`,
    passwordLeftOut,
  };
}

/** `pg_restore` of such an archive over the database, in one transaction, replacing paperboy's tables. */
export function pgRestoreLine(url: string, file: string): ToolLine {
  const { target, passwordLeftOut } = withoutPassword(url);
  return {
    command:
      'pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error ' +
      `--dbname=${shellQuote(target)} ${shellQuote(file)}`,
    passwordLeftOut,
  };
}

function withoutPassword(url: string): { target: string; passwordLeftOut: boolean } {
  const parsed = new URL(url);
  const passwordLeftOut = Boolean(parsed.password) || parsed.searchParams.has('password');
  parsed.password = '';
  parsed.searchParams.delete('password');
  return { target: parsed.toString(), passwordLeftOut };
}

/** One shell word, whatever it holds. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
