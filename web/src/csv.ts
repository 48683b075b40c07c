/** One CSV record with the 1-based line of the text that it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Error raised for text that is not valid CSV, naming the line where the problem is. */
export class CsvSyntaxError extends Error {
  readonly line: number;

  constructor(line: number, message: string) {
    super(`Line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
    this.line = line;
  }
}

/**
 * Parses CSV as RFC 4180 describes it: comma-separated fields, double quotes around fields that
 * contain commas, quotes or line breaks, and `""` for a quote inside a quoted field. Lines may end
 * in CRLF, LF or CR, and a leading byte order mark is dropped. Blank lines are skipped, so their
 * line numbers are counted but return no record. Raises CsvSyntaxError for a stray or unclosed
 * quote.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let line = 1;
  let recordLine = 1;
  let fields: string[] = [];
  let field = '';
  // True once the current field has had any character, a quote included, so that a line holding
  // only `""` is one empty field rather than a blank line.
  let fieldStarted = false;
  let index = 0;

  const endField = () => {
    fields.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRecord = () => {
    const blank = fields.length === 0 && !fieldStarted;
    endField();
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
  };

  while (index < input.length) {
    const char = input[index]!;
    if (char === '"') {
      if (fieldStarted) {
        throw new CsvSyntaxError(line, 'a quote must open the field or be doubled inside one.');
      }
      const openedOn = line;
      fieldStarted = true;
      index += 1;
      for (;;) {
        if (index >= input.length) {
          throw new CsvSyntaxError(openedOn, 'a quoted field is never closed.');
        }
        const inner = input[index]!;
        if (inner === '"') {
          if (input[index + 1] === '"') {
            field += '"';
            index += 2;
            continue;
          }
          index += 1;
          break;
        }
        if (inner === '\n' || (inner === '\r' && input[index + 1] !== '\n')) line += 1;
        field += inner;
        index += 1;
      }
      const next = input[index];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new CsvSyntaxError(
          line,
          'a closing quote must be followed by a comma or a line end.',
        );
      }
      continue;
    }
    if (char === ',') {
      endField();
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && input[index + 1] === '\n') index += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else {
      field += char;
      fieldStarted = true;
    }
    index += 1;
  }
  if (fields.length > 0 || fieldStarted) endRecord();
  return records;
}
