/**
 * Splitting a file into records. Pure: pass.server.ts streams the file through csv-parse, or
 * through `splitUnquoted` when no cell is quoted.
 */
import type { Options } from "csv-parse";

/** How every import file is parsed. */
export function csvParseOptions(delimiter: string): Options {
  return {
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
  };
}

/**
 * Without a quote character, csv-parse (with `csvParseOptions`) splits a file on the first line
 * break it meets (\r\n, \n or \r: that one only, for the whole file) and each record on the
 * delimiter, nothing more; doing the same here costs a tenth of its time, which matters because
 * every row is read twice (the check, then the apply). tests/unit/csv-records.test.ts holds
 * the two to the same result. One record at a time, like the parser: a file is never held as an
 * array of rows.
 */
export function* splitUnquoted(content: string, delimiter: string): Generator<string[]> {
  const text = content.startsWith("\uFEFF") ? content.slice(1) : content;
  const lineBreak = firstLineBreak(text);
  if (lineBreak === undefined) {
    if (text !== "") yield text.split(delimiter);
    return;
  }
  for (let start = 0; start < text.length;) {
    const end = text.indexOf(lineBreak, start);
    const stop = end === -1 ? text.length : end;
    yield text.slice(start, stop).split(delimiter);
    start = stop + lineBreak.length;
  }
}

/**
 * One record as a line of a file `csvParseOptions(delimiter)` reads back to the same cells: a
 * cell is quoted (its quotes doubled) when it holds the delimiter, a quote, a line break or a
 * byte-order mark, and left as it is otherwise.
 */
export function formatCsvRecord(cells: readonly string[], delimiter: string): string {
  return cells
    .map((cell) =>
      cell.includes(delimiter) || /["\r\n\uFEFF]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell,
    )
    .join(delimiter);
}

/** The line break a file uses: its first one, which is what the reader splits on. */
export function firstLineBreak(content: string): "\r\n" | "\n" | "\r" | undefined {
  return /\r\n|\n|\r/.exec(content)?.[0] as "\r\n" | "\n" | "\r" | undefined;
}
